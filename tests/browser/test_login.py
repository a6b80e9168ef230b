"""Login, roles, logout and deep links in a real browser on a real server."""
import re

import pytest

from lib.auth.demo_users import DEMO_USERS
from lib.i18n import translate
from lib.navigation import PAGES, pages_for
from lib.roles import ROLES, Actor
from tests.browser_support import log_in, screenshot, wait_idle, open_picker

pytestmark = pytest.mark.browser


def url_path(page_path: str) -> str:
    """pages/1_Orders.py -> Orders (Streamlit's URL for a page file)."""
    if page_path == "Home.py":
        return ""
    return re.sub(r"^\d+_", "", page_path.removeprefix("pages/").removesuffix(".py"))


DEEP_LINKS = [page.path for page in PAGES if page.path != "Home.py"] or ["Home.py"]


def test_deep_links_on_a_fresh_server_show_no_data(console_url, context):
    # Runs first in this module, on a server no one has visited yet.
    page = context.new_page()
    for path in DEEP_LINKS:
        page.goto(f"{console_url}/{url_path(path)}")
        page.get_by_role("textbox", name="Password").wait_for(timeout=30_000)
        wait_idle(page)
        assert page.locator('[data-testid="stMetric"]').count() == 0, path
        assert page.locator('[data-testid="stDataFrame"]').count() == 0, path
        assert page.locator('[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]').count() == 0
    screenshot(page, "deep-link-without-login")


def test_login_page_in_both_languages(console_url, context):
    page = context.new_page()
    page.goto(f"{console_url}/?lang=zh_CN")
    page.get_by_role("textbox", name="密码").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.get_by_text("登录服务控制台").count() >= 1
    screenshot(page, "login-zh_CN")
    page.goto(f"{console_url}/?lang=en")
    page.get_by_role("textbox", name="Password").wait_for(timeout=30_000)
    wait_idle(page)
    screenshot(page, "login-en")


def test_wrong_password_gives_one_message_for_both_mistakes(console_url, context):
    page = context.new_page()
    messages = []
    for username, password in [("manager_demo", "wrong-password-1"), ("nobody_here", "wrong-password-1")]:
        page.goto(console_url)
        page.get_by_role("textbox", name="Username").fill(username)
        page.get_by_role("textbox", name="Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        alert = page.locator('[data-testid="stAlertContentError"]')
        alert.wait_for(timeout=30_000)
        messages.append(alert.inner_text())
    assert messages[0] == messages[1]
    assert "user name or password" in messages[0]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in_sees_its_menu_and_logout_voids_the_cookie(console_url, browser, role):
    login = DEMO_USERS[role]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    log_in(page, console_url, login["username"], login["password"])
    menu = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').all_inner_texts()
    expected = [translate(p.title_key, "en") for p in pages_for(Actor("x", (role,)))]
    assert [item.split("\n")[-1].strip() for item in menu] == expected
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=30_000)
    screenshot(page, f"home-{role}-en")

    open_picker(page.get_by_role("combobox").first)
    page.get_by_role("option", name="简体中文").click()
    page.get_by_text("退出登录").wait_for(timeout=30_000)
    wait_idle(page)
    screenshot(page, f"home-{role}-zh_CN")

    # A new tab of the same browser is signed in by the cookie.
    cookies = context.cookies()
    assert any(c["name"] == "service_console_auth" for c in cookies), "no login cookie was set"
    second = context.new_page()
    second.goto(console_url)
    second.locator('[data-testid="stMetric"]').first.wait_for(timeout=30_000)

    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("textbox", name="密码").wait_for(timeout=30_000)

    # Someone who copied the cookie before logout gets the login form, no data.
    thief = browser.new_context()
    thief.add_cookies(cookies)
    stolen = thief.new_page()
    stolen.goto(console_url)
    stolen.get_by_role("textbox", name="Password").wait_for(timeout=30_000)
    wait_idle(stolen)
    assert stolen.locator('[data-testid="stMetric"]').count() == 0
    thief.close()
    context.close()
