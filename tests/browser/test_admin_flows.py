"""The admin workflows end to end in a real browser: HR decides applications,
marketing issues a coupon and downloads the push list, marketing plans a
free-repair day, admin adds a user who then signs in.

Rows are chosen at run time from the shared small demo database.
"""
from datetime import datetime, timedelta

import pytest

from lib.auth.demo_users import DEMO_USERS, SYSTEM
from lib.commands import queries
from lib.commands.certifications import approval_blocker
from lib.commands.coupon_codes import normalize_code
from lib.commands.free_repair_days import today_local
from lib.commands.settings import load_settings
from lib.db import get_engine
from lib.i18n import translate
from lib.kpi.communities import maintenance_ranking
from lib.kpi.filters import KpiFilters
from tests.browser_support import log_in, screenshot, wait_idle, open_picker

pytestmark = pytest.mark.browser
BOM = b"\xef\xbb\xbf"


def _sign_in(context, console_url, role, path, lang="en"):
    page = context.new_page()
    login = DEMO_USERS[role]
    log_in(page, console_url, login["username"], login["password"])
    page.goto(f"{console_url}/{path}?lang={lang}")
    page.locator('[data-testid="stHeading"]').first.wait_for(timeout=30_000)
    wait_idle(page)
    return page


def _no_error(page, name):
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: exception shown"
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not errors, f"{name}: {errors}"


def _open_application(page, row):
    box = page.get_by_role("spinbutton", name="Or open any application by number")
    box.fill(str(row["id"]))
    box.press("Enter")
    page.get_by_text(f"(engineer #{row['engineer_id']},").first.wait_for(timeout=30_000)
    wait_idle(page)


def _confirm(page, shot=None):
    """The second step: the summary names the record; confirm it."""
    button = page.get_by_role("button", name="Confirm", exact=True)
    button.wait_for(timeout=30_000)
    wait_idle(page)
    if shot:
        button.scroll_into_view_if_needed()
        screenshot(page, shot)
    button.click()


class _Row:
    def __init__(self, row):
        self.__dict__.update(row)


def test_hr_approves_one_application_and_rejects_another(console_url, context, small_demo_url):
    pending = queries.certification_queue(get_engine(small_demo_url), actor=SYSTEM)
    pass_mark = load_settings().pass_mark
    passing = [r for r in pending if approval_blocker(_Row(r), pass_mark) is None]
    failing = [r for r in pending if approval_blocker(_Row(r), pass_mark) is not None]
    assert passing and failing, "the demo data needs a passing and a failing pending application"
    good, bad = passing[0], failing[0]

    page = _sign_in(context, console_url, "hr", "Certifications")
    _no_error(page, "certifications")
    screenshot(page, "admin-certifications-en")

    _open_application(page, good)
    page.get_by_text(f"(engineer #{good['engineer_id']},").first.scroll_into_view_if_needed()
    screenshot(page, "admin-certification-detail-en")
    page.get_by_role("button", name="Approve", exact=True).click()
    _confirm(page, "admin-certification-confirm-approve-en")
    page.get_by_text(f"Application #{good['id']} ({good['engineer_name']}) approved.").wait_for(timeout=30_000)
    wait_idle(page)
    _no_error(page, "approve")

    _open_application(page, bad)
    page.get_by_role("textbox", name="Note / reason for rejection").fill("Documents incomplete, please re-apply")
    page.get_by_role("button", name="Reject", exact=True).click()
    _confirm(page)
    page.get_by_text(f"Application #{bad['id']} ({bad['engineer_name']}) rejected.").wait_for(timeout=30_000)
    wait_idle(page)
    _no_error(page, "reject")
    screenshot(page, "admin-certifications-decided-en")

    engine = get_engine(small_demo_url)
    assert queries.certification_detail(engine, actor=SYSTEM, certification_id=good["id"])["status"] == "approved"
    assert queries.certification_detail(engine, actor=SYSTEM, certification_id=bad["id"])["status"] == "rejected"


def test_marketing_issues_a_coupon_and_downloads_the_push_list(console_url, context):
    page = _sign_in(context, console_url, "marketing", "Trade_in_Coupons")
    _no_error(page, "coupons")
    page.get_by_role("button", name="Issue coupon").click()
    _confirm(page, "admin-coupon-confirm-issue-en")
    page.get_by_text("valid until").first.wait_for(timeout=30_000)
    wait_idle(page)
    _no_error(page, "issue")
    code = normalize_code(page.locator('[data-testid="stCode"]').first.inner_text())
    assert len(code) == 13, code
    screenshot(page, "admin-coupons-issued-en")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download push list (CSV)").click()
    content = open(download_info.value.path(), "rb").read()
    assert content.startswith(BOM), "the CSV has no UTF-8 byte-order mark"
    text = content.decode("utf-8-sig")
    assert code in text, "the issued code is not in the push list"
    assert text.splitlines()[0] == "Member no.,Phone (masked),Code,Value (yuan),Expires"

    page.goto(f"{console_url}/Trade_in_Coupons?lang=zh_CN")
    page.get_by_text("券面值规则").wait_for(timeout=30_000)
    wait_idle(page)
    _no_error(page, "coupons zh_CN")
    screenshot(page, "admin-coupons-zh_CN")


def _community_with_engineers(url, event_date):
    """The first community of the page's ranking whose city has an engineer free for cleaning."""
    from lib.commands.queries import eligible_engineers
    today = today_local()
    filters = KpiFilters(start=today - timedelta(days=29), end=today,
                         as_of=datetime.combine(today, datetime.min.time()))
    marketing = SYSTEM
    for row in maintenance_ranking(get_engine(url), filters, limit=30).itertuples():
        if eligible_engineers(get_engine(url), actor=marketing, city_id=int(row.city_id),
                              event_date=event_date, services=["cleaning"]):
            return row.name
    pytest.fail("no ranked community has an engineer free for cleaning")


def test_marketing_plans_a_free_repair_day(console_url, context, small_demo_url):
    name = _community_with_engineers(small_demo_url, today_local() + timedelta(days=7))
    page = _sign_in(context, console_url, "marketing", "Free_Repair_Days")
    _no_error(page, "free-repair days")
    page.get_by_role("textbox", name="Search a community by name").fill(name)
    page.get_by_role("textbox", name="Search a community by name").press("Enter")
    wait_idle(page)
    open_picker(page.get_by_role("combobox", name="Community"))
    page.get_by_role("option", name=name).first.click()
    wait_idle(page)
    open_picker(page.get_by_role("combobox", name="Engineers"))
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Save plan").click()
    _confirm(page, "admin-free-repair-day-confirm-plan-en")
    page.get_by_text(f"Planned: {name}").wait_for(timeout=30_000)
    wait_idle(page)
    _no_error(page, "plan")
    screenshot(page, "admin-free-repair-day-planned-en")


def test_admin_adds_a_user_who_then_signs_in(console_url, context, browser):
    page = _sign_in(context, console_url, "admin", "Users")
    page.get_by_role("textbox", name=translate("users.username", "en")).fill("hr_new_colleague")
    page.get_by_role("textbox", name="Display name").fill("New HR colleague")
    open_picker(page.get_by_role("combobox", name="Roles").first)
    page.get_by_role("option", name="HR").click()
    page.keyboard.press("Escape")
    page.get_by_role("textbox", name="Temporary password").first.fill("Temporary-pass-2026")
    page.get_by_role("button", name=translate("users.create_button", "en")).click()
    page.get_by_text(translate("users.created", "en", username="hr_new_colleague")).wait_for(timeout=30_000)
    screenshot(page, "admin-users-added-en")

    fresh = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        newcomer = fresh.new_page()
        newcomer.goto(console_url)
        newcomer.get_by_role("textbox", name="Username").fill("hr_new_colleague")
        newcomer.get_by_role("textbox", name="Password").fill("Temporary-pass-2026")
        newcomer.get_by_role("button", name="Sign in").click()
        newcomer.get_by_text(translate("auth.change_password", "en")).first.wait_for(timeout=30_000)
        wait_idle(newcomer)
        screenshot(newcomer, "admin-new-user-first-login-en")
    finally:
        fresh.close()
