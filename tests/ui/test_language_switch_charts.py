"""Switching the language relabels the chosen options (lib.ui.text), but a chart's
click selection is read-only widget state: setting it too crashed the page on the
next run (StreamlitValueAssignmentNotAllowedError, seen in a CI server log)."""
import pytest
from sqlalchemy import update

from lib.db import get_engine
from lib.db.schema import console_users
from lib.ui.text import PICKER_KEY


@pytest.fixture
def forgets_languages(console_env):
    """The switch stores the user's language in the shared demo database: forget it
    afterwards, or every later English page test of that user opens in Chinese."""
    yield
    with get_engine(console_env).begin() as connection:
        connection.execute(update(console_users).values(language=None))


def test_switching_language_on_a_page_with_clickable_charts_keeps_it_working(open_page, forgets_languages):
    app = open_page("pages/1_Orders.py", "manager")
    assert not app.exception, app.exception
    assert app.get("vega_lite_chart"), "no chart on the page: the test proves nothing"
    app.run()   # the charts' selection widgets now have their state
    app.selectbox(key=PICKER_KEY).set_value("zh_CN").run()
    assert not app.exception, app.exception
    assert app.title[0].value.endswith("工单量")
