"""The real browser of the load test (Playwright, Debian chromium): the sign-in through the
form that gives the login cookie, and the browser side of the check against the protocol client.

A session is a context holding a copy of one login cookie (got once through the
login form), so every page it opens goes through the real cookie re-login.
A render is timed from `goto` until the app is idle with the page's chart
drawn; it fails on a timeout, an exception element or an error alert.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from playwright.async_api import Browser, async_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage", "--disable-quic"]
KPI_PAGES = ("Orders", "Install_Promise", "Engineers", "Members", "Communities")
CHART = {"Communities": '[data-testid="stDeckGlJsonChart"]'}
DEFAULT_CHART = '[data-testid="stVegaLiteChart"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RENDER_TIMEOUT_MS = 60_000
LOGIN = ("manager_demo", "manager-demo-2026")
VIEWPORT = {"width": 1400, "height": 900}


def _timeout() -> int:
    return RENDER_TIMEOUT_MS


@dataclass(frozen=True)
class Render:
    page: str
    seconds: float
    ok: bool
    error: str = ""


async def launch(playwright) -> Browser:
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


async def login_cookies(browser: Browser, base_url: str) -> list[dict]:
    """Log in once through the form; the cookies every session then reuses."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(_timeout())  # a busy machine can take more than 30 s
    await page.goto(base_url, timeout=_timeout())
    await page.get_by_role("textbox", name="Username").fill(LOGIN[0])
    await page.get_by_role("textbox", name="Password").fill(LOGIN[1])
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]',
                                 timeout=_timeout())
    await page.wait_for_selector(IDLE, timeout=_timeout())
    for _ in range(50):  # the cookie is set by a component on the run after login
        cookies = await context.cookies()
        if any(c["name"] == "service_console_auth" for c in cookies):
            break
        await page.wait_for_timeout(200)
    else:
        raise RuntimeError("the login cookie was never set")
    await context.close()
    return cookies


async def render(page, base_url: str, name: str) -> Render:
    started = time.perf_counter()
    try:
        await page.goto(f"{base_url}/{name}?lang=en", timeout=_timeout())
        await page.locator(CHART.get(name, DEFAULT_CHART)).first.wait_for(timeout=_timeout())
        await page.wait_for_selector(IDLE, timeout=_timeout())
        seconds = time.perf_counter() - started
        if await page.locator('[data-testid="stException"]').count():
            return Render(name, seconds, False, "exception shown")
        if await page.locator('[data-testid="stAlertContentError"]').count():
            return Render(name, seconds, False, "error alert shown")
        return Render(name, seconds, True)
    except Exception as error:  # a timeout or a crash is a failed render, counted
        return Render(name, time.perf_counter() - started, False, type(error).__name__)


async def session(browser: Browser, base_url: str, cookies: list[dict],
                  pages=KPI_PAGES) -> list[Render]:
    """One user: a fresh context with the copied cookie, every KPI page once, then close."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        await context.add_cookies(cookies)
        page = await context.new_page()
        return [await render(page, base_url, name) for name in pages]
    finally:
        await context.close()


async def concurrent(browser: Browser, base_url: str, cookies: list[dict], n: int,
                     ramp_seconds: float = 0.0) -> tuple[list[Render], float]:
    """`n` sessions at once (started `ramp_seconds` apart); all renders and the wall time."""
    async def delayed(i: int):
        await asyncio.sleep(i * ramp_seconds)
        return await session(browser, base_url, cookies)

    started = time.perf_counter()
    results = await asyncio.gather(*(delayed(i) for i in range(n)))
    return [r for rs in results for r in rs], time.perf_counter() - started


__all__ = ["Render", "async_playwright", "concurrent", "launch", "login_cookies", "session"]
