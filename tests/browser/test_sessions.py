"""Sessions in real browsers (issue 17), the password change's way back to the
sign-in (issue 11, item 8), a forged far-future cookie and parallel guesses
through the real form (issue 18, items 1 and 6)."""
import hashlib
import re
import time
import uuid

import jwt
import pytest
from sqlalchemy import select

from lib.auth.demo_users import SYSTEM
from lib.auth.users import MAX_FAILED_LOGINS, create_user, end_sessions, find_user
from lib.db import get_engine
from lib.db.schema import console_sessions, console_users
from tests.browser_support import open_picker, screenshot, wait_idle
from tests.conftest import TEST_COOKIE_KEY

pytestmark = pytest.mark.browser
PASSWORD = "session-test-2026"
COOKIE = "service_console_auth"
DATA = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'


def _user(engine, role="manager", must_change=False) -> str:
    username = f"ses_{uuid.uuid4().hex[:8]}"
    create_user(engine, actor=SYSTEM, username=username, display_name="Session probe",
                roles=[role], password=PASSWORD, must_change_password=must_change)
    return username


def log_in(page, base, username, password):
    """Sign in through the form, with waits long enough for a shared, loaded machine."""
    page.goto(base)
    page.get_by_role("textbox", name="Username").fill(username, timeout=90_000)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator(DATA).first.wait_for(timeout=90_000)
    wait_idle(page, 90_000)


def _signed_in_context(browser, base, username, password=PASSWORD):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    page = context.new_page()
    log_in(page, base, username, password)
    for _ in range(100):  # the cookie is set on the run after the login
        if any(c["name"] == COOKIE for c in context.cookies()):
            break
        page.wait_for_timeout(200)
    assert any(c["name"] == COOKIE for c in context.cookies()), "no login cookie was set"
    return context, page


def _reload_state(page, base) -> str:
    """'in' if a fresh load of the page shows the signed-in menu, 'out' if the login form."""
    page.goto(base)
    menu = page.locator(DATA).first
    form = page.get_by_role("textbox", name="Password")
    menu.or_(form).wait_for(timeout=60_000)
    wait_idle(page, 60_000)
    signed_in, signed_out = page.locator(DATA).count() > 0, form.count() > 0
    assert signed_in != signed_out
    return "in" if signed_in else "out"


def _session_id(engine, context) -> int:
    token = next(c["value"] for c in context.cookies() if c["name"] == COOKIE)
    sid = jwt.decode(token, TEST_COOKIE_KEY, algorithms=["HS256"])["sid"]
    digest = hashlib.sha256(sid.encode()).hexdigest()
    with engine.connect() as connection:
        return connection.execute(select(console_sessions.c.id)
                                  .where(console_sessions.c.sid_hash == digest)).scalar_one()


def test_sign_out_in_one_context_leaves_the_other_signed_in(console_url, browser, small_demo_url):
    username = _user(get_engine(small_demo_url))
    first, first_page = _signed_in_context(browser, console_url, username)
    second, second_page = _signed_in_context(browser, console_url, username)
    first_page.get_by_role("button", name="Sign out", exact=True).click()
    first_page.get_by_role("textbox", name="Password").wait_for(timeout=60_000)
    assert _reload_state(first_page, console_url) == "out"
    assert _reload_state(second_page, console_url) == "in"
    screenshot(second_page, "sessions-other-context-still-signed-in")
    first.close()
    second.close()


def test_sign_out_everywhere_ends_both(console_url, browser, small_demo_url):
    username = _user(get_engine(small_demo_url))
    first, first_page = _signed_in_context(browser, console_url, username)
    second, second_page = _signed_in_context(browser, console_url, username)
    screenshot(first_page, "sessions-sidebar-buttons")
    first_page.get_by_role("button", name="Sign out everywhere").click()
    first_page.get_by_role("textbox", name="Password").wait_for(timeout=60_000)
    assert _reload_state(second_page, console_url) == "out"
    assert _reload_state(first_page, console_url) == "out"
    first.close()
    second.close()


def test_an_admin_ends_one_session_from_the_users_page(console_url, browser, small_demo_url):
    engine = get_engine(small_demo_url)
    username, admin = _user(engine), _user(engine, role="admin")
    first, first_page = _signed_in_context(browser, console_url, username)
    second, second_page = _signed_in_context(browser, console_url, username)
    target = _session_id(engine, first)
    admin_context, page = _signed_in_context(browser, console_url, admin)
    page.goto(f"{console_url}/Users")
    page.get_by_text("Sessions of").first.wait_for(timeout=60_000)
    wait_idle(page, 60_000)
    open_picker(page.locator('[data-testid="stSelectbox"]').filter(has_text="Choose a user")
                .get_by_role("combobox"))
    page.get_by_role("option", name=username, exact=True).click()
    page.get_by_text(f"Sessions of {username}").wait_for(timeout=60_000)
    wait_idle(page, 60_000)
    picker = page.get_by_role("combobox", name="Session to end")
    try:
        open_picker(picker)
        page.get_by_role("option", name=re.compile(rf"^#{target} ·")).click()
    except Exception:
        screenshot(page, "failed-users-session-pick")
        raise AssertionError(f"no option for session #{target}: "
                             f"{page.get_by_role('option').all_inner_texts()}")
    wait_idle(page, 60_000)
    screenshot(page, "users-sessions-en")
    page.get_by_role("button", name="End this session").click()
    page.get_by_text(f"Session #{target} has ended.").wait_for(timeout=60_000)
    screenshot(page, "users-session-ended-en")
    assert _reload_state(first_page, console_url) == "out"
    assert _reload_state(second_page, console_url) == "in"
    for context in (first, second, admin_context):
        context.close()


def test_a_far_future_cookie_signed_with_the_key_opens_nothing_after_end_sessions(
        console_url, browser, small_demo_url):
    engine = get_engine(small_demo_url)
    username = _user(engine)
    token = jwt.encode({"username": username, "exp_date": time.time() + 3650 * 86400},
                       TEST_COOKIE_KEY, algorithm="HS256")
    end_sessions(engine, username=username)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies([{"name": COOKIE, "value": token, "url": console_url}])
    page = context.new_page()
    assert _reload_state(page, console_url) == "out"
    context.close()


def test_after_a_password_change_the_sign_in_comes_back(console_url, browser, small_demo_url):
    engine = get_engine(small_demo_url)
    username = _user(engine, must_change=True)
    context, page = browser.new_context(viewport={"width": 1400, "height": 900}), None
    page = context.new_page()
    page.goto(console_url)
    page.get_by_role("textbox", name="Username").fill(username, timeout=90_000)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("textbox", name="Current password").wait_for(timeout=90_000)
    wait_idle(page, 60_000)
    screenshot(page, "password-change-forced-en")
    page.get_by_role("textbox", name="Current password", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="New password", exact=True).fill("brand-new-pass-2026")
    page.get_by_role("textbox", name="Repeat new password", exact=True).fill("brand-new-pass-2026")
    page.locator('[data-testid="stFormSubmitButton"]').get_by_role(
        "button", name="Change password").click()
    page.get_by_role("button", name="Sign in").wait_for(timeout=90_000)
    wait_idle(page, 60_000)
    screenshot(page, "password-changed-back-to-sign-in-en")
    assert page.get_by_text("Password changed").count() >= 1
    assert page.get_by_role("textbox", name="Current password").count() == 0
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill("brand-new-pass-2026")
    page.get_by_role("button", name="Sign in").click()
    page.locator(DATA).first.wait_for(timeout=90_000)
    assert not find_user(engine, username).must_change_password
    context.close()


def test_twenty_simultaneous_wrong_submits_check_at_most_the_limit(console_url, browser,
                                                                    small_demo_url):
    engine = get_engine(small_demo_url)
    username = _user(engine)
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    pages = []
    for i in range(20):
        page = context.new_page()
        page.goto(console_url)
        page.get_by_role("textbox", name="Username").fill(username)
        page.get_by_role("textbox", name="Password").fill(f"wrong-guess-{i}")
        pages.append(page)
    for page in pages:  # as close together as one driver can click
        page.get_by_role("button", name="Sign in").click(no_wait_after=True)
    for page in pages:
        page.locator('[data-testid="stAlertContentError"]').wait_for(timeout=120_000)
    with engine.connect() as connection:
        row = connection.execute(select(console_users)
                                 .where(console_users.c.username == username)).one()
    assert row.failed_logins == MAX_FAILED_LOGINS, f"{row.failed_logins} attempts were checked"
    assert row.locked_until is not None
    page = pages[0]
    page.goto(console_url)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator('[data-testid="stAlertContentError"]').wait_for(timeout=60_000)
    assert page.locator(DATA).count() == 0
    context.close()
