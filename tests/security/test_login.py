"""Attacks on logging in: guessing (lockout that expires), probing for user names
(timing), and replaying a copied login cookie after the session was ended."""
from __future__ import annotations

import statistics
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from lib.auth.demo_users import SYSTEM
from lib.auth.users import (MAX_FAILED_LOGINS, authenticate, change_own_password, create_user,
                            end_sessions, set_disabled, set_roles)
from lib.db import get_engine
from lib.db.schema import console_users
from lib.timeutil import now_local

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "guess-me-not-2026"


def _new_user(engine, role: str = "manager") -> str:
    username = f"sec_{uuid.uuid4().hex[:8]}"
    create_user(engine, actor=SYSTEM, username=username, display_name="Security probe",
                roles=[role], password=PASSWORD, must_change_password=False)
    return username


# -- user-name probing by timing -----------------------------------------------------

def _cpu_medians(calls: dict, tries: int = 5) -> dict:
    """Median CPU time of each call, interleaved so that every call sees the same conditions.

    CPU time of this thread (bcrypt runs in it), not wall time: on a shared test
    machine other processes stretch wall time at random, while the work done,
    which is what an attacker's timing would reveal, stays the same.
    """
    times = {name: [] for name in calls}
    for _ in range(tries):
        for name, call in calls.items():
            started = time.thread_time()
            call()
            times[name].append(time.thread_time() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def test_unknown_locked_and_wrong_take_the_same_work(sqlite_engine):
    known, locked = _new_user(sqlite_engine), _new_user(sqlite_engine)
    for _ in range(MAX_FAILED_LOGINS):
        authenticate(sqlite_engine, username=locked, password="wrong-password-1")
    authenticate(sqlite_engine, username="warm_up_only", password="x")  # first-call costs

    def wrong():
        authenticate(sqlite_engine, username=known, password="wrong-password-1")
        with sqlite_engine.begin() as connection:  # keep `known` from locking mid-test
            connection.execute(update(console_users).where(console_users.c.username == known)
                               .values(failed_logins=0, locked_until=None))

    medians = _cpu_medians({
        "unknown": lambda: authenticate(sqlite_engine, username="nobody_at_all",
                                        password="wrong-password-1"),
        "wrong": wrong,
        "locked": lambda: authenticate(sqlite_engine, username=locked, password=PASSWORD),
    })
    for name in ("unknown", "locked"):
        ratio = medians[name] / medians["wrong"]
        assert 0.5 <= ratio <= 2.0, \
            f"{name} {medians[name] * 1000:.0f} ms vs wrong password {medians['wrong'] * 1000:.0f} ms"


# -- guessing through the login form (AppTest) ----------------------------------------

def _submit(app: AppTest, username: str, password: str) -> AppTest:
    [box for box in app.text_input if box.label == "Username"][0].input(username)
    [box for box in app.text_input if box.label == "Password"][0].input(password)
    [b for b in app.button if b.label == "Sign in"][0].click()
    return app.run()


@pytest.fixture
def login_app(console_env):
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
    app.session_state["language"] = "en"
    return app.run()


def test_form_locks_out_after_repeated_failures_and_the_lock_expires(login_app, console_env):
    engine = get_engine(console_env)
    username = _new_user(engine)
    app = login_app
    for attempt in range(MAX_FAILED_LOGINS):
        app = _submit(app, username, f"wrong-password-{attempt}")
        assert not app.exception, app.exception
        assert app.error and "user name or password" in app.error[0].value
        assert not app.metric
    app = _submit(app, username, PASSWORD)
    assert not app.metric, "the right password opened a locked account"
    assert app.error and "user name or password" in app.error[0].value, \
        "a locked account must look like any failed login"

    with engine.begin() as connection:  # fifteen minutes later
        connection.execute(update(console_users).where(console_users.c.username == username)
                           .values(locked_until=now_local() - timedelta(seconds=1)))
    app = _submit(app, username, PASSWORD)
    assert not app.exception, app.exception
    assert app.metric, "the lock did not expire"


# -- a copied cookie after the session ended (browser) --------------------------------

def _change_password(engine, username):
    change_own_password(engine, username=username, current_password=PASSWORD,
                        new_password="a-new-secret-2026")


ENDINGS = {
    "logout": lambda engine, username: end_sessions(engine, username=username),
    "password_change": _change_password,
    "role_change": lambda engine, username: set_roles(engine, actor=SYSTEM, username=username,
                                                      roles=["hr"]),
    "disabling": lambda engine, username: set_disabled(engine, actor=SYSTEM, username=username,
                                                       disabled=True),
}


def _opens_with(browser, base_url: str, cookies) -> bool:
    """True if a fresh browser holding only `cookies` gets data; False if the login form."""
    from tests.browser_support import wait_idle
    thief = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        thief.add_cookies(cookies)
        page = thief.new_page()
        page.goto(base_url)
        data = page.locator('[data-testid="stMetric"]').first
        form = page.get_by_role("textbox", name="Password")
        data.or_(form).wait_for(timeout=60_000)
        wait_idle(page)
        has_data = page.locator('[data-testid="stMetric"]').count() > 0
        has_form = form.count() > 0
        assert has_data != has_form, "neither clearly signed in nor clearly refused"
        return has_data
    finally:
        thief.close()


@pytest.mark.browser
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_copied_cookie_stops_working_after(ending, console_url, browser, small_demo_url):
    from tests.browser_support import log_in
    engine = get_engine(small_demo_url)
    username = _new_user(engine)
    victim = browser.new_context(viewport={"width": 1400, "height": 900})
    page = victim.new_page()
    log_in(page, console_url, username, PASSWORD)
    for _ in range(50):
        cookies = victim.cookies()
        if any(c["name"] == "service_console_auth" for c in cookies):
            break
        page.wait_for_timeout(200)
    victim.close()
    assert any(c["name"] == "service_console_auth" for c in cookies), "no login cookie was set"
    assert _opens_with(browser, console_url, cookies), "the copied cookie never worked"
    time.sleep(0.01)  # the ending's mark is strictly after the cookie's issue moment
    ENDINGS[ending](engine, username)
    assert not _opens_with(browser, console_url, cookies), f"the cookie still works after {ending}"
