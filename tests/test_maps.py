"""The community map's builders and the basemap the console ships (static/geo/)."""
import json

import pandas as pd
import pytest
from sqlalchemy import create_engine, select

from lib import maps
from lib.db import schema as s
from lib.demo.vocabulary import BEILUN_PLACES, CITIES

GEO = maps.GEO_DIR


def _features(name: str) -> list:
    return json.loads((GEO / name).read_text(encoding="utf-8"))["features"]


def _inside(lon: float, lat: float, geometry: dict) -> bool:
    """Point in a (Multi)Polygon, by ray casting (holes count as outside)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]

    def in_ring(ring):
        hit = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
        return hit
    return any(in_ring(p[0]) and not any(in_ring(h) for h in p[1:]) for p in polygons)


def test_basemap_has_every_province_the_outline_and_the_dashes():
    provinces = _features("china-provinces.json")
    assert len(provinces) == 34
    names = {f["properties"]["name"] for f in provinces}
    assert {"浙江省", "台湾省", "海南省", "香港特别行政区", "澳门特别行政区"} <= names
    assert all(f["properties"]["name_en"] for f in provinces)
    dashes = _features("china-dashes.json")[0]["geometry"]
    assert dashes["type"] == "MultiLineString" and len(dashes["coordinates"]) == 10
    # the southernmost dash near 4° N, the dashes west of 125° E
    assert min(p[1] for line in dashes["coordinates"] for p in line) < 4.5
    assert _features("china-outline.json")


def test_basemap_is_small():
    sizes = {p.name: p.stat().st_size for p in GEO.glob("*.json")}
    assert sizes["china-provinces.json"] < 600_000, sizes
    assert sum(sizes.values()) < 800_000, sizes
    districts = [p.stat().st_size for p in (GEO / "districts").glob("*.json")]
    assert len(districts) == len(CITIES) and max(districts) < 200_000


def test_every_shipped_city_has_its_districts_and_an_english_name():
    for city in CITIES:
        url = maps.districts_url(city.name, city.province)
        assert url and (GEO / "districts" / url.rsplit("/", 1)[1]).exists(), city.name
        assert maps.city_label(city.name, "en") != city.name
        assert maps.city_label(city.name, "zh_CN") == city.name
    assert maps.districts_url("不存在", "某省") is None
    assert maps.city_label("不存在", "en") == "不存在"


def test_ningbo_demo_communities_sit_in_beilun(small_demo_url):
    districts = {f["properties"]["name"]: f["geometry"] for f in _features("districts/330200.json")}
    beilun = districts["北仑区"]
    engine = create_engine(small_demo_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(s.communities.c.name, s.communities.c.lat, s.communities.c.lon)
            .join(s.cities, s.cities.c.id == s.communities.c.city_id)
            .where(s.cities.c.name == "宁波")).all()
    in_beilun = [r for r in rows if r.name.startswith(BEILUN_PLACES)]
    assert in_beilun, "the demo has no Beilun community"
    assert all(_inside(r.lon, r.lat, beilun) for r in in_beilun), in_beilun
    others = [r for r in rows if not r.name.startswith(BEILUN_PLACES)]
    assert not any(_inside(r.lon, r.lat, beilun) for r in others)


@pytest.mark.parametrize("values,classes", [([0, 0], 1), ([5], 1), (list(range(1, 101)), 5),
                                            ([1, 1, 1, 50], 1)])
def test_heat_scale_classes_cover_the_values(values, classes):
    scale = maps.HeatScale.of(pd.Series(values))
    rows = scale.classes()
    assert len(rows) <= 5 and (len(rows) >= classes or max(values) == 0)
    positive = [v for v in values if v > 0]
    if positive:
        assert rows[0][1] <= min(positive) and rows[-1][2] >= max(positive)
        assert scale.colour(max(positive)) == maps.HEAT_COLOURS[-1] or len(rows) == 1
    assert all(low <= high for _, low, high in rows)


def test_labels_keep_the_biggest_places_where_they_crowd():
    frame = pd.DataFrame({"label": ["上海", "苏州", "乌鲁木齐"], "lat": [31.23, 31.30, 43.8],
                          "lon": [121.47, 120.59, 87.6], "value": [10, 50, 1]})
    kept = maps.place_labels(frame, zoom=3.2, size=13, by="value")
    assert set(kept["label"]) == {"苏州", "乌鲁木齐"}
    assert len(maps.place_labels(frame, zoom=9, size=13, by="value")) == 3


def _frame(**more):
    return pd.DataFrame({"label": ["宁波", "<b>x</b>"], "lat": [29.87, 30.2], "lon": [121.55, 120.2],
                         "value": [5.0, 0.0], "tip": ["a", "b"], **more})


def test_country_map_layers_and_texts():
    frame = _frame(city_id=[1, 2])
    deck = maps.country_map(frame, maps.HeatScale.of(frame["value"]), style="/app/static/x.json")
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert [layer["id"] for layer in spec["layers"]][:3] == ["provinces", "outline", "dashes"]
    assert layers["cities"]["pickable"] and layers["cities"]["data"][0]["city_id"] in (1, 2)
    text = layers["city-names"]
    assert set("宁波") <= set(text["characterSet"]) and not text["characterSet"].startswith("@@")
    assert not text["fontFamily"].startswith("@@")
    assert spec["mapStyle"] == "/app/static/x.json"
    assert "mapbox" not in deck.to_json() and "carto" not in deck.to_json()
    assert spec["initialViewState"]["zoom"] == maps.COUNTRY_VIEW["zoom"]


def test_city_map_zooms_to_the_communities():
    frame = _frame(community_id=[1, 2])
    deck = maps.city_map(frame, maps.HeatScale.of(frame["value"]), centre=(29.87, 121.55),
                         districts="/app/static/geo/districts/330200.json")
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert layers["districts"]["data"].endswith("330200.json")
    assert {"communities", "community-names"} <= set(layers)
    view = spec["initialViewState"]
    assert 29.87 < view["latitude"] < 30.2 and 7 <= view["zoom"] <= 11


def test_empty_frames_still_build():
    empty = pd.DataFrame(columns=["city_id", *maps.MAP_COLUMNS])
    assert maps.country_map(empty, maps.HeatScale.of(empty["value"])).to_json()
    empty = pd.DataFrame(columns=["community_id", *maps.MAP_COLUMNS])
    assert maps.city_map(empty, maps.HeatScale.of(empty["value"]), centre=(30.0, 120.0),
                         districts=None).to_json()


def test_tooltip_escapes_database_text():
    tip = maps.tooltip_html("<script>x</script>", [("Orders", "<b>1</b>")])
    assert "<script>" not in tip and "&lt;script&gt;" in tip and "&lt;b&gt;1" in tip
