"""The load test's protocol-level client against a real console: a signed-in page view
is one script run that draws the page's chart, and without the cookie it gets the login
form and no data. (It is what `python -m loadtest` measures with, so it must be right.)"""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from loadtest import protocol
from tests.browser_support import console_url  # noqa: F401  (the module's real server)
from tests.conftest import TEST_COOKIE_KEY


def _view(*args, **kwargs) -> protocol.View:
    """protocol.view run to the end on a thread of its own: in the full suite the browser
    tests' Playwright (sync API, session-wide) keeps an event loop running on the main
    thread, where asyncio.run() refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, protocol.view(*args, **kwargs)).result()


@pytest.mark.parametrize("page, chart", [("Orders", "vega_lite_chart"),
                                         ("Communities", "deck_gl_json_chart")])
def test_signed_in_view_is_one_run_with_its_chart(console_url, small_demo_url, page,  # noqa: F811
                                                  chart):
    cookie = protocol.mint_cookie(TEST_COOKIE_KEY, "manager_demo", small_demo_url)
    view = _view(console_url, page, cookie, timeout=120)
    assert view.ok, view.error
    assert view.runs == 1, f"{page}: {view.runs} script runs for one page view"
    assert view.elements.get(chart), f"{page}: no {chart}: {view.elements}"
    assert view.elements.get("dataframe") and view.elements.get("download_button")


def test_without_the_cookie_the_view_gets_the_login_form_only(console_url):  # noqa: F811
    view = _view(console_url, "Orders", "", timeout=120)
    assert view.runs >= 1
    assert view.elements.get("text_input", 0) >= 2, view.elements  # user name and password
    assert not view.elements.get("vega_lite_chart") and not view.elements.get("dataframe")


def test_a_cookie_signed_with_another_key_is_refused(console_url, small_demo_url):  # noqa: F811
    cookie = protocol.mint_cookie("another-key-" + "y" * 40, "manager_demo", small_demo_url)
    view = _view(console_url, "Orders", cookie, timeout=120)
    assert not view.elements.get("vega_lite_chart") and not view.elements.get("dataframe")
