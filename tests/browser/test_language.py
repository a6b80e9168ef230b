"""The language choice in a real browser: it survives the menu, a reload and a new sign-in.

This module's server defaults to Chinese, so a choice of English that is lost
shows at once. It runs on its own copy of the small demo database: the choice
is stored per user, and other modules must not inherit it.
"""

import pytest
from playwright.sync_api import expect

from lib.auth.demo_users import DEMO_USERS
from tests.browser_support import screenshot, wait_idle
from tests.conftest import copy_of_database

pytestmark = pytest.mark.browser

CONSOLE_LANGUAGE = "zh_CN"
MENU = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'


@pytest.fixture(scope="module")
def small_demo_url(small_demo_url, tmp_path_factory):
    return copy_of_database(small_demo_url, tmp_path_factory.mktemp("language-db"))


def sign_in(page, base_url: str, role: str, path: str = "") -> None:
    """Sign in through the form in the server's default language (Chinese here)."""
    login = DEMO_USERS[role]
    page.goto(f"{base_url}/{path}")
    page.get_by_role("textbox", name="用户名").wait_for(timeout=120_000)   # a fresh server's first run
    page.get_by_role("textbox", name="用户名").fill(login["username"])
    page.get_by_role("textbox", name="密码").fill(login["password"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector(MENU, timeout=120_000)
    wait_idle(page, timeout=90_000)


def choose_language(page, name: str) -> None:
    """Pick `name` in the sidebar's language switch (the first select of the sidebar)."""
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=name).click()
    wait_idle(page, timeout=90_000)


def in_english(page) -> None:
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Signed in as", timeout=60_000)
    wait_idle(page, timeout=90_000)


def test_english_survives_the_menu_a_reload_and_a_new_sign_in(console_url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, console_url, "manager")
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("已登录", timeout=60_000)
    choose_language(page, "English")
    in_english(page)
    links = page.locator(MENU)
    labels = [links.nth(i).inner_text().strip().splitlines()[-1].strip() for i in range(links.count())]
    assert len(labels) >= 5, labels
    for label in labels[1:] + labels[:1]:   # every page, then back to Home
        page.locator(MENU).filter(has_text=label).first.click()
        title = page.locator("h1").first
        expect(title).to_contain_text(label, timeout=60_000)
        in_english(page)
        assert "lang=zh_CN" not in page.url, f"{label}: the URL fell back to Chinese ({page.url})"
        assert page.locator('[data-testid="stSidebar"]').get_by_text("已登录").count() == 0, label
    screenshot(page, "language-en-after-menu")

    page.reload()
    wait_idle(page)
    in_english(page)
    context.close()

    # A new sign-in, in a fresh browser without cookie or URL parameter: the stored choice.
    fresh = browser.new_context(viewport={"width": 1400, "height": 900})
    page = fresh.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, console_url, "manager")
    in_english(page)
    screenshot(page, "language-en-after-new-sign-in")
    # The URL may still override it, for this view.
    page.goto(f"{console_url}/Orders?lang=zh_CN")
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("已登录", timeout=60_000)
    fresh.close()


def test_chosen_options_change_language_with_the_page(console_url, browser):
    """A select's chosen option is sent to the browser as its label: after a switch it
    must show the new language's label ("No split"), not the old one ("不拆分").
    Streamlit 1.67 shows the chosen option as the value of the select's combobox
    input, not as text of the element: the value is what is read."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, console_url, "manager", "Orders?lang=zh_CN")
    split = page.locator('[data-testid="stSelectbox"]').filter(has_text="拆分维度")
    expect(split.get_by_role("combobox")).to_have_value("不拆分", timeout=60_000)
    choose_language(page, "English")
    in_english(page)
    split = page.locator('[data-testid="stSelectbox"]').filter(has_text="Split by")
    expect(split.get_by_role("combobox")).to_have_value("No split", timeout=60_000)
    period = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Period")
    expect(period.get_by_role("combobox")).to_have_value("Last 90 days", timeout=60_000)
    screenshot(page, "language-options-switched-en")
    context.close()
