"""The admin workflow pages in AppTest: queues render, refusals are shown in words,
nothing changes on a refused action. The command rules themselves are tested in
tests/commands. The small demo database is shared by the session: rows are
picked at run time, and writes use rows the other tests do not rely on.
"""
from datetime import timedelta

import pytest

from lib.auth.demo_users import SYSTEM
from lib.commands import queries
from lib.commands.certifications import approval_blocker
from lib.commands.coupon_codes import is_valid_code
from lib.commands.free_repair_days import today_local
from lib.commands.settings import load_settings
from lib.db import get_engine
from lib.i18n import translate

# page, role, and a column header (message key) its queue or list must show
PAGES = [("pages/6_Certifications.py", "hr", "cert.applied_at"),
         ("pages/6_Certifications.py", "admin", "cert.applied_at"),
         ("pages/7_Trade_in_Coupons.py", "marketing", "coupon.old_brand"),
         ("pages/7_Trade_in_Coupons.py", "admin", "coupon.issued_by"),
         ("pages/8_Free_Repair_Days.py", "marketing", "frd.planned_by"),
         ("pages/8_Free_Repair_Days.py", "admin", "frd.planned_by")]


def _messages(app) -> list[str]:
    return [str(e.value) for e in (*app.error, *app.warning, *app.success)]


@pytest.mark.parametrize("path,role,table", PAGES, ids=[f"{p}-{r}" for p, r, _ in PAGES])
def test_page_renders_its_queue_or_list(open_page, path, role, table):
    app = open_page(path, role)
    assert not app.exception, f"{path} raised for {role}: {app.exception}"
    assert not app.error, f"{path} shows an error for {role}: {[e.value for e in app.error]}"
    header = translate(table, "en")
    assert any(header in frame.value.columns and len(frame.value) for frame in app.dataframe), \
        f"{path}: no table with rows and a {header!r} column for {role}"


@pytest.mark.parametrize("path", ["pages/6_Certifications.py", "pages/7_Trade_in_Coupons.py",
                                  "pages/8_Free_Repair_Days.py"])
def test_pages_render_in_chinese(open_page, path):
    app = open_page(path, "admin", language="zh_CN")
    assert not app.exception and not app.error, f"{path} in Chinese: {app.exception or app.error}"


def _pending(console_env) -> list[dict]:
    return queries.certification_queue(get_engine(console_env), actor=SYSTEM)


def test_approving_a_failing_application_shows_the_refusal_and_changes_nothing(open_page, console_env):
    pass_mark = load_settings().pass_mark
    failing = [(row, approval_blocker(_Row(row), pass_mark)) for row in _pending(console_env)]
    failing = [(row, blocker) for row, blocker in failing if blocker is not None]
    assert failing, "the demo data has no pending application that fails the approval rules"
    row, blocker = failing[-1]
    app = open_page("pages/6_Certifications.py", "hr")
    app.number_input(key="cert.lookup").set_value(row["id"]).run()
    refusal = translate(blocker.key, "en", **blocker.params)
    assert refusal in [w.value for w in app.warning], "the blocker is not shown before the click"
    app.button(key="cert.approve").click().run()
    app.button(key="cert.decide.confirm").click().run()
    assert not app.exception
    assert refusal in [e.value for e in app.error], _messages(app)
    detail = queries.certification_detail(get_engine(console_env), actor=SYSTEM, certification_id=row["id"])
    assert detail["status"] == "pending", "a refused approval changed the application"


def test_reject_without_a_reason_is_refused_and_changes_nothing(open_page, console_env):
    row = _pending(console_env)[0]
    app = open_page("pages/6_Certifications.py", "hr")
    app.number_input(key="cert.lookup").set_value(row["id"]).run()
    app.button(key="cert.reject").click().run()
    assert not app.exception
    expected = translate("commands.reason_required", "en", min_chars=2)
    assert expected in [e.value for e in app.error], _messages(app)
    detail = queries.certification_detail(get_engine(console_env), actor=SYSTEM, certification_id=row["id"])
    assert detail["status"] == "pending" and detail["reviewed_by"] is None


def test_issuing_a_coupon_shows_its_code_and_expiry(open_page, console_env):
    # The newest pending request: the browser test takes the oldest.
    request_id = queries.trade_in_queue(get_engine(console_env), actor=SYSTEM)[-1]["id"]
    app = open_page("pages/7_Trade_in_Coupons.py", "marketing")
    app.selectbox(key="coupon.pick").set_value(request_id).run()
    app.button(key="coupon.issue").click().run()
    assert not any(s.value for s in app.success), "issued before the confirmation"
    app.button(key="coupon.handle.confirm").click().run()
    assert not app.exception and not app.error, _messages(app)
    assert any(f"request #{request_id}, valid until" in s.value for s in app.success), _messages(app)
    codes = [c.value for c in app.code]
    assert codes and is_valid_code(codes[0]), f"no valid coupon code shown: {codes}"


def test_planning_in_the_past_is_refused(open_page, console_env):
    yesterday = today_local() - timedelta(days=1)
    app = open_page("pages/8_Free_Repair_Days.py", "marketing")
    app.date_input(key="frd.date").set_value(yesterday).run()
    before = _events_on(console_env, yesterday)
    app.button(key="frd.plan_button").click().run()
    assert not app.exception
    expected = translate("commands.event.date_in_past", "en", date=yesterday.isoformat(),
                         today=today_local().isoformat())
    assert any(expected in e.value for e in app.error), _messages(app)
    assert _events_on(console_env, yesterday) == before, "a refused plan was saved"


def _events_on(url, when) -> int:
    return len(queries.free_repair_day_list(get_engine(url), actor=SYSTEM, date_from=when, date_to=when))


class _Row:
    """A queue row with attribute access, as approval_blocker reads it."""

    def __init__(self, row: dict):
        self.__dict__.update(row)


def test_a_coupon_issued_by_mistake_is_voided_from_its_success_message(open_page, console_env):
    from lib.db.schema import coupons
    from sqlalchemy import select
    request_id = queries.trade_in_queue(get_engine(console_env), actor=SYSTEM)[-1]["id"]
    app = open_page("pages/7_Trade_in_Coupons.py", "marketing")
    app.selectbox(key="coupon.pick").set_value(request_id).run()
    app.button(key="coupon.issue").click().run()
    app.button(key="coupon.handle.confirm").click().run()
    coupon_id = app.session_state["coupon.last_issued"]["coupon_id"]
    app.button(key="coupon.void_this").click().run()
    assert app.selectbox(key="coupon.void_pick").value == coupon_id, "the void picker is not on that coupon"
    app.text_area(key="coupon.void_reason").set_value("issued by mistake").run()
    app.button(key="coupon.void_button").click().run()
    assert not app.exception, app.exception
    app.button(key="coupon.void.confirm").click().run()
    assert not app.exception and not app.error, _messages(app)
    with get_engine(console_env).connect() as connection:
        status = connection.execute(select(coupons.c.status).where(coupons.c.id == coupon_id)).scalar()
    assert status == "void"
    assert any(f"Coupon #{coupon_id} voided" in s.value for s in app.success), _messages(app)
