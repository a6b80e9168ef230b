"""One script run per page view for a signed-in user (issue 13).

The server of this module runs with Streamlit's debug log, which writes one
"Running script" line per script run; the test counts those lines around a
page load. Nothing in the console itself is instrumented for this.
"""
import os
import subprocess
import sys
import time

import pytest

from lib.auth.demo_users import DEMO_USERS
from tests.browser_support import ROOT, _free_port, _wait_healthy, screenshot, wait_idle
from tests.conftest import TEST_COOKIE_KEY

pytestmark = pytest.mark.browser

RUN_LINE = "Running script"


@pytest.fixture(scope="module")
def counted_server(small_demo_url, tmp_path_factory):
    """(base URL, log path) of a console whose log records every script run."""
    port = _free_port()
    env = {**os.environ, "SERVICE_DB_URL": small_demo_url, "CONSOLE_COOKIE_KEY": TEST_COOKIE_KEY,
           "CONSOLE_LANGUAGE": "en"}
    log_path = tmp_path_factory.mktemp("runs") / "console.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "Home.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--logger.level", "debug"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        yield base, log_path
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def log_in(page, base, username, password):
    """Sign in through the form, with waits long enough for a shared, loaded machine."""
    page.goto(base)
    page.get_by_role("textbox", name="Username").fill(username, timeout=90_000)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').first.wait_for(
        timeout=90_000)
    wait_idle(page, 90_000)


def _runs(log_path) -> int:
    return log_path.read_text(errors="replace").count(RUN_LINE)


def _settled(page) -> None:
    """Idle, and still idle after a pause in which a component's value could
    arrive from the browser and start another run."""
    wait_idle(page, 60_000)
    time.sleep(4)
    wait_idle(page, 60_000)


@pytest.mark.parametrize("path", ["", "Orders"])
def test_a_signed_in_page_load_runs_the_script_once(counted_server, browser, path):
    base, log_path = counted_server
    login = DEMO_USERS["admin"]
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    page = context.new_page()
    log_in(page, base, login["username"], login["password"])
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=60_000)
    _settled(page)
    assert any(c["name"] == "service_console_auth" for c in context.cookies())

    for attempt in range(2):  # a fresh page load (new session, cookie only), twice
        before = _runs(log_path)
        page.goto(f"{base}/{path}")
        page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').first.wait_for(
            timeout=90_000)
        _settled(page)
        runs = _runs(log_path) - before
        assert page.get_by_role("textbox", name="Password").count() == 0
        assert runs == 1, f"{runs} script runs for one page load of /{path}"
    screenshot(page, f"one-run-{path or 'home'}")
    context.close()
