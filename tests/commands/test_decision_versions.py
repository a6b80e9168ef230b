"""Issue #11 and #18: decisions carry the status they were shown in; reversible
decisions (reopen, uncancel); every input problem at once; whole-yuan coupons; an
unknown commit outcome said as such, and a retry of the same attempt idempotent."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from lib import audit
from lib.commands.certifications import (approve_certification, reject_certification,
                                         reopen_certification)
from lib.commands.coupons import issue_coupon, parse_yuan, void_coupon
from lib.commands.free_repair_days import (cancel_free_repair_day, plan_free_repair_day,
                                           uncancel_free_repair_day)
from lib.commands.settings import DEFAULTS
from lib.db import schema as s
from lib.errors import Conflict, OutcomeUnknown, Problems, ServiceUnavailable, ValidationFailed
from tests.commands.conftest import ACTORS, HR, MARKETING, NOW, TODAY, snapshot

ADMIN = ACTORS["admin"]


def _status(engine, table, record_id):
    with engine.connect() as connection:
        return connection.execute(select(table.c.status).where(table.c.id == record_id)).scalar()


def test_a_decision_on_a_changed_application_is_refused_naming_who_changed_it(engine, world):
    approve_certification(engine, actor=HR, certification_id=world.pending, now=NOW,
                          expected_status="pending")
    before = snapshot(engine)
    with pytest.raises(Conflict) as refused:
        reject_certification(engine, actor=ADMIN, certification_id=world.pending, reason="照片不清楚",
                             now=NOW, expected_status="pending")
    assert refused.value.key == "forms.changed_meanwhile"
    assert refused.value.params["by"] == HR.username
    assert refused.value.params["decision"] == "approved"
    assert refused.value.params["expected"] == "pending"
    assert snapshot(engine) == before, "a refused decision changed something"


def test_a_rejection_can_be_reopened_and_decided_again(engine, world):
    reject_certification(engine, actor=HR, certification_id=world.pending, reason="资料不全", now=NOW)
    later = NOW + timedelta(hours=1)
    with pytest.raises(ValidationFailed):
        reopen_certification(engine, actor=HR, certification_id=world.pending, reason="", now=later)
    reopened = reopen_certification(engine, actor=ADMIN, certification_id=world.pending,
                                    reason="驳回有误", now=later, expected_status="rejected")
    assert reopened.status == "pending" and _status(engine, s.engineer_certifications, world.pending) == "pending"
    with engine.connect() as connection:
        actions = list(connection.execute(select(s.console_audit_log.c.action).where(
            s.console_audit_log.c.entity_id == world.pending,
            s.console_audit_log.c.entity == "engineer_certifications").order_by(s.console_audit_log.c.id)).scalars())
    assert actions == ["certification.reject", "certification.reopen"]
    # one shown as rejected before the reopen is refused now, naming the reopener
    with pytest.raises(Conflict) as refused:
        reopen_certification(engine, actor=HR, certification_id=world.pending, reason="再开一次",
                             now=later, expected_status="rejected")
    assert refused.value.params["by"] == ADMIN.username
    with pytest.raises(ValidationFailed):   # pending is not rejected
        reopen_certification(engine, actor=HR, certification_id=world.pending, reason="再开一次", now=later)
    assert approve_certification(engine, actor=HR, certification_id=world.pending, now=later).status == "approved"


def test_void_of_a_coupon_shown_as_issued_but_voided_meanwhile_names_who(engine, world):
    void_coupon(engine, actor=MARKETING, coupon_id=world.coupon, reason="发错了", now=NOW)
    with pytest.raises(Conflict) as refused:
        void_coupon(engine, actor=ADMIN, coupon_id=world.coupon, reason="发错了", now=NOW,
                    expected_status="issued")
    assert refused.value.params["by"] == MARKETING.username and refused.value.params["decision"] == "void"


def _plan(engine, world, event_date, **changes):
    values = dict(actor=MARKETING, community_id=world.community, event_date=event_date,
                  services=["water_test"], capacity=40, engineer_ids=[world.worker], today=TODAY, now=NOW)
    values.update(changes)
    return plan_free_repair_day(engine, **values)


def test_uncancel_a_future_event_but_not_a_past_or_clashing_one(engine, world, event_date):
    planned = _plan(engine, world, event_date)
    cancel_free_repair_day(engine, actor=MARKETING, free_repair_day_id=planned.free_repair_day_id,
                           reason="场地不可用", now=NOW, expected_status="planned")
    with pytest.raises(ValidationFailed) as past:
        uncancel_free_repair_day(engine, actor=MARKETING, free_repair_day_id=planned.free_repair_day_id,
                                 reason="场地又可以了", today=event_date + timedelta(days=1), now=NOW)
    assert past.value.key == "forms.event.already_past"
    uncancel_free_repair_day(engine, actor=ADMIN, free_repair_day_id=planned.free_repair_day_id,
                             reason="场地又可以了", today=TODAY, now=NOW, expected_status="cancelled")
    assert _status(engine, s.free_repair_days, planned.free_repair_day_id) == "planned"
    # cancel again, plan another on the same day and community: the uncancel would clash
    cancel_free_repair_day(engine, actor=MARKETING, free_repair_day_id=planned.free_repair_day_id,
                           reason="改期", now=NOW)
    _plan(engine, world, event_date)
    before = snapshot(engine)
    with pytest.raises(Conflict):
        uncancel_free_repair_day(engine, actor=MARKETING, free_repair_day_id=planned.free_repair_day_id,
                                 reason="恢复", today=TODAY, now=NOW)
    assert snapshot(engine) == before


def test_a_plan_lists_every_input_problem_at_once(sqlite_engine, sqlite_world):
    with pytest.raises(Problems) as refused:
        _plan(sqlite_engine, sqlite_world, TODAY - timedelta(days=1), capacity=0, services=[],
              engineer_ids=[])
    keys = [p.key for p in refused.value.problems]
    assert keys == ["commands.event.date_in_past", "commands.event.services_required",
                    "commands.event.bad_capacity", "commands.event.engineers_required"]


@pytest.mark.parametrize("typed,fen", [("150", 15_000), ("¥150", 15_000), (" 150元 ", 15_000),
                                       ("75", 7_500), ("225", 22_500)])
def test_whole_yuan_values_within_the_bounds_are_taken(typed, fen):
    assert parse_yuan(typed, rule_fen=15_000, settings=DEFAULTS) == fen


@pytest.mark.parametrize("typed", ["150.50", "60.5", "-150", "1e3", "", "150 150", "74", "226", "七十五"])
def test_cents_and_values_outside_the_bounds_are_refused(typed):
    with pytest.raises(ValidationFailed) as refused:
        parse_yuan(typed, rule_fen=15_000, settings=DEFAULTS)
    assert refused.value.params["min_fen"] == 7_500 and refused.value.params["max_fen"] == 22_500


def test_the_bounds_are_whole_yuan():
    # 13,500 fen ± 50 %: 6,750 .. 20,250 fen, on whole yuan 6,800 .. 20,200
    assert DEFAULTS.coupon_bounds_fen(13_500) == (6_800, 20_200)
    for rule in range(1_000, 300_001, 700):
        low, high = DEFAULTS.coupon_bounds_fen(rule)
        assert low % 100 == 0 and high % 100 == 0 and low <= high


def _commit_then_lose_the_connection(engine):
    """The database commits, and the client never hears back: what "killed at the commit" looks like."""
    def commit(connection):
        event.remove(engine, "commit", commit)
        connection.connection.dbapi_connection.commit()
        raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))
    event.listen(engine, "commit", commit)


def test_a_lost_commit_is_reported_as_unknown_and_the_retry_returns_the_same_coupon(sqlite_engine,
                                                                                  sqlite_world):
    engine, world = sqlite_engine, sqlite_world
    _commit_then_lose_the_connection(engine)
    with pytest.raises(ServiceUnavailable) as lost:
        issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request, now=NOW, attempt="a1")
    assert isinstance(lost.value, OutcomeUnknown), "a commit of unknown fate was reported as 'nothing changed'"
    assert lost.value.key == "forms.outcome_unknown"
    assert _status(engine, s.trade_in_requests, world.request) == "coupon_issued"   # it was committed
    again = issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request, now=NOW, attempt="a1")
    assert again.replayed
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(s.coupons).where(
            s.coupons.c.trade_in_request_id == world.request)).scalar() == 1
    # another attempt (another person, or a new decision) still gets the conflict
    with pytest.raises(Conflict):
        issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request, now=NOW, attempt="a2")
    with pytest.raises(Conflict):
        issue_coupon(engine, actor=ADMIN, trade_in_request_id=world.request, now=NOW, attempt="a1")


def test_a_failure_before_the_commit_still_says_nothing_was_changed(sqlite_engine, sqlite_world, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))
    monkeypatch.setattr(audit, "record", down)
    before = snapshot(sqlite_engine)
    with pytest.raises(ServiceUnavailable) as refused:
        issue_coupon(sqlite_engine, actor=MARKETING, trade_in_request_id=sqlite_world.request, now=NOW)
    assert not isinstance(refused.value, OutcomeUnknown)
    assert snapshot(sqlite_engine) == before


def test_exports_are_audited_and_entries_read_as_changes(sqlite_engine, sqlite_world):
    audit.record_export(sqlite_engine, actor=MARKETING, page="Trade_in_Coupons", rows=12,
                        what="coupon push list", at=NOW)
    approve_certification(sqlite_engine, actor=HR, certification_id=sqlite_world.pending, now=NOW)
    exports = audit.entries(sqlite_engine, actor=ADMIN, action=audit.EXPORT_ACTION)
    assert len(exports) == 1 and exports[0]["actor"] == MARKETING.username
    assert '"rows": 12' in exports[0]["after_json"] and "Trade_in_Coupons" in exports[0]["after_json"]
    # a part of the user name, any case; dates as a range
    assert {e["actor"] for e in audit.entries(sqlite_engine, actor=ADMIN, name_part="HU")} == {HR.username}
    assert audit.entries(sqlite_engine, actor=ADMIN, since=NOW + timedelta(seconds=1)) == []
    assert audit.entries(sqlite_engine, actor=ADMIN, name_part="%") == []
    assert audit.changes({"status": "pending", "reviewed_by": None},
                         {"status": "approved", "reviewed_by": "hua", "note": None}) == [
        ("status", "pending", "approved"), ("reviewed_by", None, "hua"), ("note", None, None)]
