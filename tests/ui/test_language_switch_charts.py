"""Switching the language relabels the chosen options (lib.ui.text), but a chart's
click selection is read-only widget state: setting it too crashed the page on the
next run (StreamlitValueAssignmentNotAllowedError, seen in a CI server log)."""
from lib.ui.text import PICKER_KEY


def test_switching_language_on_a_page_with_clickable_charts_keeps_it_working(open_page):
    app = open_page("pages/1_Orders.py", "manager")
    assert not app.exception, app.exception
    assert app.get("vega_lite_chart"), "no chart on the page: the test proves nothing"
    app.run()   # the charts' selection widgets now have their state
    app.selectbox(key=PICKER_KEY).set_value("zh_CN").run()
    assert not app.exception, app.exception
    assert app.title[0].value.endswith("工单量")
