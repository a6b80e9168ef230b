"""The KPI pages in a real browser: charts and the offline map draw, no error, both languages."""
import pytest

from lib.auth.demo_users import DEMO_USERS
from tests.browser_support import log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser

KPI_URLS = ["Orders", "Install_Promise", "Engineers", "Members", "Communities"]
CHART = '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]'


def _check(page, name: str) -> None:
    # The first visible chart: charts inside a tab that is not selected stay hidden.
    try:
        page.locator(CHART).locator("visible=true").first.wait_for(timeout=60_000)
    except Exception:
        screenshot(page, f"failed-{name}")
        raise AssertionError(f"{name}: no chart drew; the page said: {page.inner_text('body')[:600]}")
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: exception shown"
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, f"{name}: error shown"


@pytest.fixture
def manager_page(console_url, context):
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((console_url, "data:", f"blob:{console_url}")) else None)
    login = DEMO_USERS["manager"]
    log_in(page, console_url, login["username"], login["password"])
    page.outside_requests = outside
    return page


@pytest.mark.parametrize("path", KPI_URLS)
def test_kpi_page_in_both_languages(console_url, manager_page, path):
    page = manager_page
    page.goto(f"{console_url}/{path}?lang=en")
    _check(page, path)
    screenshot(page, f"kpi-{path}-en")
    page.goto(f"{console_url}/{path}?lang=zh_CN")
    page.get_by_text("数据截至").first.wait_for(timeout=30_000)
    _check(page, path)
    screenshot(page, f"kpi-{path}-zh_CN")
    assert not page.outside_requests, f"{path} fetched from outside: {page.outside_requests[:5]}"


def test_map_draws_offline(console_url, manager_page):
    page = manager_page
    page.goto(f"{console_url}/Communities?lang=en")
    page.locator('[data-testid="stDeckGlJsonChart"]').wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stDeckGlJsonChart"] canvas').count() >= 1
    assert not page.outside_requests, page.outside_requests[:5]


def test_link_with_filters_reproduces_the_view(console_url, manager_page):
    page = manager_page
    page.goto(f"{console_url}/Orders?lang=en&preset=custom&start=2001-01-01&end=2001-01-31")
    page.get_by_text("Nothing matches these filters").first.wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    screenshot(page, "kpi-Orders-empty-en")
