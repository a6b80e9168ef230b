"""The business-analysis pages in a real browser: charts draw, no exception, both languages."""
import pytest

from lib.auth.demo_users import DEMO_USERS
from tests.browser_support import log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser

URLS = ["Complaints", "Parts_Feedback", "Brand_Mix", "Engineer_Pay", "Warranties"]
CHART = '[data-testid="stVegaLiteChart"]'
RANGE = "preset=custom&start=2024-01-01&end=2026-12-31"


def _check(page, name: str) -> None:
    page.locator(CHART).first.wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(500)  # let Vega finish drawing before the screenshot
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: exception shown"
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, f"{name}: error shown"


def test_business_pages_in_both_languages(console_url, context):
    page = context.new_page()
    login = DEMO_USERS["manager"]
    log_in(page, console_url, login["username"], login["password"])
    for path in URLS:
        page.goto(f"{console_url}/{path}?lang=en&{RANGE}")
        _check(page, path)
        screenshot(page, f"business-{path}-en")
        page.goto(f"{console_url}/{path}?lang=zh_CN&{RANGE}")
        page.get_by_text("数据截至").first.wait_for(timeout=30_000)
        _check(page, path)
        screenshot(page, f"business-{path}-zh_CN")
