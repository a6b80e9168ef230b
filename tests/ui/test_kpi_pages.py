"""The KPI pages in AppTest: they draw, say so when the filters leave nothing,
take their filters from the URL, keep them across pages, and run in both languages."""
from datetime import date, datetime

import pytest

from lib.i18n import translate
from lib.ui.filters import (CUSTOM, DEFAULT_PRESET, W, FilterState, as_of_moment, params_from_state,
                            state_from_params)

KPI_PAGES = ["pages/1_Orders.py", "pages/2_Install_Promise.py", "pages/3_Engineers.py",
             "pages/4_Members.py", "pages/5_Communities.py"]
LONG_AGO = {"preset": "custom", "start": "2001-01-01", "end": "2001-01-31"}
EMPTY_TEXTS = {translate(key, lang) for key in ("kp.empty", "kp.sla.no_eligible", "kp.eng.no_monthly")
               for lang in ("en", "zh_CN")} | {
    translate("map.empty", lang, measure=translate("kp.com.measure.orders", lang))
    for lang in ("en", "zh_CN")}


def charts_of(app) -> int:
    return len(app.get("vega_lite_chart")) + len(app.get("deck_gl_json_chart"))


def open_with_params(open_page, path: str, params: dict, role: str = "manager", language: str = "en"):
    app = open_page(path, role, language=language)
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


@pytest.mark.parametrize("path", KPI_PAGES)
def test_page_draws_charts_and_tables(open_page, path):
    app = open_page(path, "manager")
    assert not app.exception, f"{path}: {app.exception}"
    assert not app.error, f"{path} shows an error: {[e.value for e in app.error]}"
    assert charts_of(app) >= 1, f"{path}: no chart"
    assert app.dataframe, f"{path}: no table"
    assert len(app.get("download_button")) == len(app.dataframe), f"{path}: a table without CSV download"
    assert any("Data as of" in c.value for c in app.caption), f"{path}: no 'as of' line"


@pytest.mark.parametrize("path", KPI_PAGES)
def test_a_filter_without_result_says_so(open_page, path):
    app = open_with_params(open_page, path, LONG_AGO)
    assert not app.exception, f"{path}: {app.exception}"
    messages = {i.value for i in app.info}
    assert messages & EMPTY_TEXTS, f"{path}: no words for an empty result, only {messages}"
    # Star levels are over their own window and "at risk now" is about now, not the range.
    if path not in ("pages/3_Engineers.py", "pages/2_Install_Promise.py"):
        assert charts_of(app) == 0, f"{path}: an empty chart was drawn"


@pytest.mark.parametrize("path", KPI_PAGES)
def test_page_in_chinese(open_page, path):
    app = open_page(path, "manager", language="zh_CN")
    assert not app.exception, f"{path}: {app.exception}"
    assert any("数据截至" in c.value for c in app.caption), f"{path}: 'as of' not in Chinese"
    assert "最近 90 天" in app.sidebar.selectbox(key=W["preset"]).options


def test_query_params_reproduce_the_view(open_page):
    params = {"preset": "custom", "start": "2025-03-01", "end": "2025-03-31", "city": "1",
              "type": "install,repair", "source": "own_sales"}
    app = open_with_params(open_page, "pages/1_Orders.py", params)
    assert not app.exception
    assert app.sidebar.selectbox(key=W["preset"]).value == CUSTOM
    assert app.sidebar.date_input(key=W["range"]).value == (date(2025, 3, 1), date(2025, 3, 31))
    assert app.sidebar.multiselect(key=W["cities"]).value == [1]
    assert app.sidebar.multiselect(key=W["types"]).value == ["install", "repair"]
    assert app.sidebar.multiselect(key=W["sources"]).value == ["own_sales"]
    assert {k: app.query_params[k] for k in params} == {k: [v] for k, v in params.items()} or \
        {k: app.query_params[k] for k in params} == params, "the URL no longer holds the view"


def test_bad_url_values_are_ignored(open_page):
    params = {"preset": "last_9999_days", "start": "yesterday", "city": "abc,999999",
              "brand": "-1", "type": "teleport", "source": "own_sales,'; drop table"}
    app = open_with_params(open_page, "pages/1_Orders.py", params)
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.sidebar.selectbox(key=W["preset"]).value == DEFAULT_PRESET
    assert app.sidebar.multiselect(key=W["cities"]).value == []
    assert app.sidebar.multiselect(key=W["types"]).value == []
    assert app.sidebar.multiselect(key=W["sources"]).value == ["own_sales"]


def test_filters_survive_moving_between_pages(open_page):
    app = open_page("pages/1_Orders.py", "manager")
    app.sidebar.multiselect(key=W["cities"]).set_value([1])
    app.sidebar.selectbox(key=W["preset"]).set_value("last_30_days")
    app.run()
    app.switch_page("pages/4_Members.py").run()
    assert not app.exception
    assert app.sidebar.multiselect(key=W["cities"]).value == [1], "the city choice was lost"
    assert app.sidebar.selectbox(key=W["preset"]).value == "last_30_days"


def test_refresh_button_reruns_without_error(open_page):
    app = open_page("pages/2_Install_Promise.py", "manager")
    app.sidebar.button(key="kpi.w.refresh").click().run()
    assert not app.exception and not app.error


# -- the URL <-> filter state rules, without a page ---------------------------------
@pytest.mark.parametrize("params,expected", [
    ({}, None),
    ({"lang": "en"}, None),
    ({"preset": "this_month"}, FilterState("this_month")),
    ({"preset": "nonsense"}, FilterState(DEFAULT_PRESET)),
    ({"preset": "custom", "start": "2025-01-31", "end": "2025-01-01"},
     FilterState(CUSTOM, date(2025, 1, 1), date(2025, 1, 31))),
    ({"preset": "custom", "start": "2025-01-01"}, FilterState(DEFAULT_PRESET)),
    ({"preset": "custom", "start": "1999-01-01", "end": "2025-01-01"}, FilterState(DEFAULT_PRESET)),
    ({"city": "2,2,x,7,99"}, FilterState(cities=(2, 7))),
    ({"brand": "1", "type": "repair,nope", "source": "partner_brand"},
     FilterState(brands=(1,), types=("repair",), sources=("partner_brand",))),
])
def test_state_from_params(params, expected):
    assert state_from_params(params, city_ids=[1, 2, 7], brand_ids=[1]) == expected


def test_params_round_trip():
    state = FilterState(CUSTOM, date(2025, 2, 1), date(2025, 2, 28), (1, 2), (3,), ("install",), ())
    params = params_from_state(state)
    assert params == {"preset": "custom", "start": "2025-02-01", "end": "2025-02-28", "city": "1,2",
                      "brand": "3", "type": "install"}
    assert state_from_params(params, [1, 2], [3]) == state


def test_as_of_steps_with_the_cache_and_follows_a_refresh():
    now = datetime(2026, 3, 2, 10, 7, 42)
    assert as_of_moment(now, None) == datetime(2026, 3, 2, 10, 5, 0)
    assert as_of_moment(now, datetime(2026, 3, 2, 10, 6, 0)) == datetime(2026, 3, 2, 10, 6, 0)
    assert as_of_moment(now, datetime(2026, 3, 2, 9, 0, 0)) == datetime(2026, 3, 2, 10, 5, 0)
