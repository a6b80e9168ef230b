"""The community map in AppTest: what the server sends for the country view and for
Ningbo, small; the legend; the planner link only for the roles that plan."""
import json

import pytest

from lib.ui.community_map import CITY_KEY

PAGE = "pages/5_Communities.py"


def _spec(app) -> dict:
    decks = app.get("deck_gl_json_chart")
    assert len(decks) == 1, f"expected one map, found {len(decks)}"
    return json.loads(decks[0].proto.json)


def _layers(spec) -> dict:
    return {layer["id"]: layer for layer in spec["layers"]}


def _ningbo_id() -> int:
    from lib.db import get_engine
    from lib.kpi.options import city_options
    from lib.ui.cache import db_url
    cities = city_options(get_engine(db_url()))
    return int(cities.loc[cities["name"] == "宁波", "id"].iloc[0])


def _named_in(language: str, layers: dict) -> set:
    """The city names drawn, after checking the busiest city keeps its name and every name
    is in `language` (which smaller eastern cities give way depends on the data)."""
    labels = {row["label"] for row in layers["city-names"]["data"]}
    busiest = max(layers["cities"]["data"], key=lambda row: row["value"])
    assert busiest["label"] in labels, f"the busiest city {busiest['label']} is not named"
    chinese = {label: any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels}
    assert len(labels) >= 5 and all(v == (language == "zh_CN") for v in chinese.values()), labels
    return labels


def _choose_ningbo(app):
    return app.selectbox(key=CITY_KEY).set_value(_ningbo_id()).run()


def test_country_view_has_basemap_cities_and_english_labels(open_page):
    app = open_page(PAGE, "marketing")
    assert not app.exception, app.exception
    raw = app.get("deck_gl_json_chart")[0].proto.json
    layers = _layers(json.loads(raw))
    assert {"provinces", "outline", "dashes", "cities", "city-names"} <= set(layers)
    assert layers["provinces"]["data"] == "/app/static/geo/china-provinces.json"
    _named_in("en", layers)
    # the text layer's arguments are values, not expressions (the "function is not iterable" bug)
    assert not str(layers["city-names"]["characterSet"]).startswith("@@")
    assert not str(layers["city-names"]["fontFamily"]).startswith("@@")
    assert any(row["label"] == "Ningbo" and row["value"] > 0 for row in layers["cities"]["data"])
    assert len(raw.encode()) < 40_000, f"country map sends {len(raw.encode())} bytes"
    legend = " ".join(c.value for c in app.caption)
    assert "Legend" in legend and "Orders per city" in legend
    swatches = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    assert any(spec.get("mark", {}).get("type") == "circle" for spec in swatches), "no colour legend"


def test_chinese_labels(open_page):
    app = open_page(PAGE, "manager", language="zh_CN")
    labels = _named_in("zh_CN", _layers(_spec(app)))
    characters = _layers(_spec(app))["city-names"]["characterSet"]
    assert set("".join(labels)) <= set(characters), "a label's glyph is missing from the font atlas"


def test_choosing_ningbo_zooms_to_its_communities(open_page):
    app = open_page(PAGE, "marketing")
    _choose_ningbo(app)
    assert not app.exception, app.exception
    spec = _spec(app)
    layers = _layers(spec)
    assert {"provinces", "districts", "communities", "community-names"} <= set(layers)
    assert layers["districts"]["data"] == "/app/static/geo/districts/330200.json"
    view = spec["initialViewState"]
    assert 29.6 < view["latitude"] < 30.2 and 121.3 < view["longitude"] < 122.0, view
    assert view["zoom"] >= 8
    points = layers["communities"]["data"]
    assert points and all(p["tip"].startswith("<b>") for p in points)
    assert any(p["lon"] > 121.75 for p in points), "no community where Beilun is"
    tip = points[0]["tip"]
    for word in ("Orders", "Members", "Average stars", "Maintenance due", "Free-repair day planned"):
        assert word in tip, f"{word} missing from the tooltip {tip}"
    links = [link for link in app.get("page_link") if "free-repair day" in link.proto.label]
    assert links, "no link to the planner"
    assert "community=" in links[0].proto.page or links[0].proto.query_string


def test_manager_sees_no_planner_link(open_page):
    app = open_page(PAGE, "manager")
    _choose_ningbo(app)
    assert not [link for link in app.get("page_link") if "free-repair day" in link.proto.label]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_empty_selection_is_said_in_words(console_env, language):
    # one run with the URL's range (a second run in Chinese trips AppTest's widget checks)
    from streamlit.testing.v1 import AppTest

    from lib.auth.demo_users import DEMO_USERS
    from lib.auth.users import find_user
    from lib.db import get_engine
    from tests.conftest import signed_in_state
    from tests.ui.conftest import ROOT
    app = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
    app.switch_page(PAGE)
    app.session_state["language"] = language
    user = find_user(get_engine(console_env), DEMO_USERS["manager"]["username"])
    for key, value in signed_in_state(get_engine(console_env), user).items():
        app.session_state[key] = value
    for key, value in {"preset": "custom", "start": "2001-01-01", "end": "2001-01-31"}.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    assert not app.get("deck_gl_json_chart"), "an empty map was drawn"
    words = "地图上没有可显示的内容" if language == "zh_CN" else "nothing to show on the map"
    assert any(words in i.value for i in app.info), [i.value for i in app.info]


def test_planner_opens_with_the_linked_community(open_page):
    from sqlalchemy import text

    from lib.db import get_engine
    from lib.ui.cache import db_url
    with get_engine(db_url()).connect() as connection:  # likely outside the ranking's top rows
        last = connection.execute(text("SELECT max(id) FROM communities")).scalar()
    app = open_page("pages/8_Free_Repair_Days.py", "marketing")
    app.query_params["community"] = str(last)
    app.run()
    assert not app.exception, app.exception
    assert app.selectbox(key="frd.community").value == last
    picker = app.selectbox(key="frd.community")

    def offered(i):
        try:
            return picker.format_func(i) in picker.options
        except KeyError:
            return False
    other = next(i for i in range(1, last) if offered(i))
    picker.set_value(other).run()
    assert app.selectbox(key="frd.community").value != last, "the link must not pin the choice"
