"""The business-analysis pages in AppTest: they draw a chart and a table with its CSV,
say so when the filters leave nothing, refuse roles without the permission, and run in
both languages. Their figures are tested in tests/business."""
import pytest

from lib.i18n import translate

PAGES = {"pages/11_Complaints.py": "page.complaints", "pages/12_Parts_Feedback.py": "page.parts",
         "pages/13_Brand_Mix.py": "page.brand_mix", "pages/14_Engineer_Pay.py": "page.engineer_pay",
         "pages/15_Warranties.py": "page.warranties"}
LONG_AGO = {"preset": "custom", "start": "2001-01-01", "end": "2001-01-31"}
EMPTY_TEXTS = {translate(key, lang) for key in ("kp.empty", "biz.no_reviews") for lang in ("en", "zh_CN")}


def charts_of(app) -> int:
    return len(app.get("vega_lite_chart")) + len(app.get("arrow_vega_lite_chart"))


def open_with_params(open_page, path, params, role="manager", language="en"):
    app = open_page(path, role, language=language)
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


@pytest.mark.parametrize("path", PAGES)
def test_page_draws_heading_chart_and_table(open_page, path):
    app = open_with_params(open_page, path, {"preset": "custom", "start": "2024-01-01", "end": "2026-12-31"})
    assert not app.exception, f"{path}: {app.exception}"
    assert not app.error, f"{path} shows an error: {[e.value for e in app.error]}"
    assert any(translate(PAGES[path], "en") in title.value for title in app.title), f"{path}: no heading"
    assert charts_of(app) >= 1, f"{path}: no chart"
    assert app.dataframe, f"{path}: no table"
    assert len(app.get("download_button")) >= len(app.dataframe), f"{path}: a table without CSV download"


@pytest.mark.parametrize("path", PAGES)
def test_a_filter_without_result_says_so(open_page, path):
    app = open_with_params(open_page, path, LONG_AGO)
    assert not app.exception, f"{path}: {app.exception}"
    messages = {i.value for i in app.info}
    if path == "pages/15_Warranties.py":
        # Appliances and their coverage are a state at as-of, not bound to the range:
        # the empty range shows up as no repairs.
        assert messages & EMPTY_TEXTS, f"{path}: no words for the empty repairs, only {messages}"
    else:
        assert messages & EMPTY_TEXTS, f"{path}: no words for an empty result, only {messages}"
        assert charts_of(app) == 0, f"{path}: an empty chart was drawn"


@pytest.mark.parametrize("path", PAGES)
def test_page_in_chinese(open_page, path):
    app = open_page(path, "manager", language="zh_CN")
    assert not app.exception, f"{path}: {app.exception}"
    assert any(translate(PAGES[path], "zh_CN") in title.value for title in app.title)
    assert any("数据截至" in c.value for c in app.caption), f"{path}: 'as of' not in Chinese"


@pytest.mark.parametrize("role", ["hr", "marketing"])
def test_other_roles_are_refused(open_page, role):
    for path in PAGES:
        app = open_page(path, role)
        assert not app.exception, f"{path}: {app.exception}"
        assert app.error, f"{path}: {role} was not refused"
        assert not app.dataframe and charts_of(app) == 0, f"{path}: {role} saw data"


def test_complaint_examples_and_cross_dimension(open_page):
    app = open_with_params(open_page, "pages/11_Complaints.py",
                           {"preset": "custom", "start": "2024-01-01", "end": "2026-12-31"})
    app.selectbox(key="complaints.cross").set_value("platform").run()
    assert not app.exception, app.exception
    app.segmented_control(key="complaints.max_stars").set_value(1).run()
    assert not app.exception, app.exception
    assert app.dataframe, "no examples table"
