"""Browser fixtures and helpers: a real console server and Debian's chromium under Playwright.

Registered once for the whole suite (`pytest_plugins` in tests/conftest.py),
so the browser and security tests share one Playwright instance.

Each module gets a freshly started server (so a deep link hits a server no one
has visited yet) on the small demo database. Screenshots land in
artifacts/screenshots/ to be looked at. Without chromium the tests skip
locally; under CI=true they fail instead.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import IN_CI, TEST_COOKIE_KEY

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base_url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the console exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the console did not become healthy in time")


def _forget_languages(url: str) -> None:
    """Each module starts with no stored language choice (a module that switched a demo
    user's language must not change the next module's pages)."""
    from sqlalchemy import update

    from lib.db import make_engine
    from lib.db.schema import console_users
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(update(console_users).values(language=None))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def console_url(small_demo_url, tmp_path_factory, request):
    """Base URL of a console server started for this module on the small demo database
    (default language English, or the module's `CONSOLE_LANGUAGE`)."""
    _forget_languages(small_demo_url)
    port = _free_port()
    env = {**os.environ, "SERVICE_DB_URL": small_demo_url, "CONSOLE_COOKIE_KEY": TEST_COOKIE_KEY,
           "CONSOLE_LANGUAGE": getattr(request.module, "CONSOLE_LANGUAGE", "en")}
    log = (tmp_path_factory.mktemp("server") / "console.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "Home.py", "--server.port", str(port),
         "--server.address", "127.0.0.1"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium under Playwright."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("CI must run the browser tests: /usr/bin/chromium is missing")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (own cookies) with a desktop-sized window."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    yield context
    context.close()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and no script run is in progress."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                           timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=timeout)


def open_picker(combobox) -> None:
    """Click a select box or multiselect open.

    Streamlit 1.67's option list closes when the page scrolls, and Playwright's click
    scrolls a field below the fold into view first: the list opened and closed at
    once (seen as "the session picker never opens"). A person scrolls, then clicks;
    so does this, and it clicks once more if the list is still closed.
    """
    combobox.scroll_into_view_if_needed()
    combobox.page.wait_for_timeout(300)
    combobox.click()
    if combobox.get_attribute("aria-expanded") != "true":
        combobox.page.wait_for_timeout(300)
        combobox.click()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


SIGN_IN_WAIT = 90_000  # ms: a fresh server's first run on a busy 2-core machine


def log_in(page, base_url: str, username: str, password: str, path: str = "") -> None:
    page.goto(f"{base_url}/{path}")
    page.get_by_role("textbox", name="Username").fill(username, timeout=SIGN_IN_WAIT)
    page.get_by_role("textbox", name="Password").fill(password, timeout=SIGN_IN_WAIT)
    page.get_by_role("button", name="Sign in").click(timeout=SIGN_IN_WAIT)
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]',
                           timeout=SIGN_IN_WAIT)
    wait_idle(page, timeout=SIGN_IN_WAIT)
