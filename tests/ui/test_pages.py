"""Every page, for every role: no exception, its heading, or a refusal and no data."""
import pytest

from lib.i18n import translate
from lib.navigation import PAGES
from lib.roles import ROLES, Actor

CASES = [(page, role) for page in PAGES for role in ROLES]


def _texts(app) -> str:
    parts = [e.value for e in (*app.title, *app.markdown, *app.error, *app.info, *app.caption)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page,role", CASES, ids=[f"{p.path}-{r}" for p, r in CASES])
def test_page_for_role(open_page, page, role):
    app = open_page(page.path, role)
    assert not app.exception, f"{page.path} raised for {role}: {app.exception}"
    allowed = page.permission is None or Actor("x", (role,)).may(page.permission)
    if allowed:
        assert any(translate(page.title_key, "en") in t.value for t in app.title), \
            f"{page.path}: heading missing for {role}"
        assert not app.error, f"{page.path} shows an error for {role}: {[e.value for e in app.error]}"
    else:
        assert [e.value for e in app.error] == [translate("app.refused", "en")], \
            f"{page.path} did not refuse {role}"
        assert not app.metric and not app.dataframe and not app.get("vega_lite_chart") and not app.get("deck_gl_json_chart"), \
            f"{page.path} showed data to {role}"


@pytest.mark.parametrize("page", PAGES, ids=[p.path for p in PAGES])
def test_anonymous_visitor_gets_the_login_form_and_no_data(open_page, page):
    app = open_page(page.path)
    assert not app.exception
    labels = [box.label for box in app.text_input]
    assert "Username" in labels and "Password" in labels, f"{page.path}: no login form"
    assert not app.metric and not app.dataframe and not app.title


def test_home_overview_figures_for_manager(open_page):
    app = open_page("Home.py", "manager")
    labels = [m.label for m in app.metric]
    assert labels == ["Orders today", "Orders this month", "24-hour install promise this month"]


@pytest.mark.parametrize("role,expected", [
    ("hr", ["Pending certification applications"]),
    ("marketing", ["Pending trade-in requests"]),
])
def test_home_shows_each_role_its_own_figures(open_page, role, expected):
    assert [m.label for m in open_page("Home.py", role).metric] == expected


def test_home_in_chinese(open_page):
    app = open_page("Home.py", "admin", language="zh_CN")
    assert "本月工单" in [m.label for m in app.metric]


def test_ended_session_falls_back_to_login(open_page, console_env):
    from lib.auth.users import end_sessions
    from lib.db import get_engine
    app = open_page("Home.py", "manager")
    end_sessions(get_engine(console_env), username="manager_demo")
    app.run()
    assert not app.metric, "a session ended elsewhere still shows figures"
    assert "Username" in [box.label for box in app.text_input]
