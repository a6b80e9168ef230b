"""Trade-in coupons: issue once, reject, void; list, summary and push export."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lib import audit
from lib.commands.coupon_codes import is_valid_code
from lib.commands.coupons import issue_coupon, reject_trade_in, void_coupon
from lib.commands.queries import coupon_list, coupon_push_export, coupon_summary, trade_in_queue
from lib.commands.settings import DEFAULTS, CommandSettings
from lib.db import schema as s
from lib.demo.factory import Factory
from lib.errors import Conflict, NotFound, ValidationFailed
from tests.commands.conftest import ACTORS, MARKETING, NOW, counts, snapshot

ADMIN = ACTORS["admin"]


def _request_status(engine, request_id):
    with engine.connect() as connection:
        return connection.execute(select(s.trade_in_requests.c.status)
                                  .where(s.trade_in_requests.c.id == request_id)).scalar()


def test_issue_uses_rule_value_and_marks_request(engine, world):
    result = issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request, now=NOW)
    assert result.value_fen == result.rule_value_fen == DEFAULTS.coupon_rule_fen("air_conditioner", 8, "working")
    assert is_valid_code(result.code) and result.expires_at == NOW + timedelta(days=90)
    assert _request_status(engine, world.request) == "coupon_issued"
    with engine.connect() as connection:
        row = connection.execute(select(s.coupons).where(s.coupons.c.id == result.coupon_id)).first()
        entry = connection.execute(select(s.console_audit_log)).first()
    assert (row.code, row.issued_by, row.status, row.member_id) == (result.code, "mei", "issued", world.member)
    assert entry.action == "coupon.issue" and result.code not in entry.after_json


def test_second_issue_is_a_conflict_naming_the_issuer(engine, world):
    issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request, now=NOW)
    before = counts(engine)
    with pytest.raises(Conflict) as lost:
        issue_coupon(engine, actor=ADMIN, trade_in_request_id=world.request)
    assert lost.value.key == "commands.coupon.already_issued"
    assert lost.value.params == {"by": "mei", "at": NOW, "decision": "coupon_issued"}
    with pytest.raises(Conflict):
        reject_trade_in(engine, actor=ADMIN, trade_in_request_id=world.request, reason="重复")
    assert counts(engine) == before


def test_chosen_value_within_bounds(sqlite_engine, sqlite_world):
    engine, world = sqlite_engine, sqlite_world  # logic only: one backend is enough
    rule = DEFAULTS.coupon_rule_fen("air_conditioner", 8, "working")
    low, high = DEFAULTS.coupon_bounds_fen(rule)
    before = snapshot(engine)
    for bad in (low - 1, high + 1, 0, -5, 10.5, "100", True):
        with pytest.raises(ValidationFailed):
            issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request, value_fen=bad)
    assert snapshot(engine) == before
    assert issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request,
                        value_fen=high).value_fen == high


def test_rejected_request_gets_no_coupon(engine, world):
    result = reject_trade_in(engine, actor=MARKETING, trade_in_request_id=world.request,
                             reason="设备不属于本人", now=NOW)
    assert result.rejected_by == "mei" and _request_status(engine, world.request) == "rejected"
    with pytest.raises(Conflict) as lost:
        issue_coupon(engine, actor=ADMIN, trade_in_request_id=world.request)
    assert lost.value.params == {"by": "mei", "at": NOW, "decision": "rejected"}


def test_unknown_request(sqlite_engine, sqlite_world):
    engine, world = sqlite_engine, sqlite_world  # logic only: one backend is enough
    with pytest.raises(NotFound):
        issue_coupon(engine, actor=MARKETING, trade_in_request_id=424242)


def test_void_only_issued_unredeemed(engine, world):
    with engine.begin() as connection:
        redeemed = Factory(connection, seed=8).coupon(member_id=world.member, status="redeemed",
                                                      redeemed_at=datetime(2026, 2, 5))
    with pytest.raises(Conflict) as lost:
        void_coupon(engine, actor=MARKETING, coupon_id=redeemed, reason="用户投诉")
    assert lost.value.key == "commands.coupon.already_redeemed"
    result = void_coupon(engine, actor=MARKETING, coupon_id=world.coupon, reason="发错了", now=NOW)
    assert result.voided_by == "mei"
    with pytest.raises(Conflict) as again:
        void_coupon(engine, actor=ADMIN, coupon_id=world.coupon, reason="发错了")
    assert again.value.params == {"by": "mei", "at": NOW, "decision": "void"}
    with pytest.raises(ValidationFailed):
        void_coupon(engine, actor=ADMIN, coupon_id=world.coupon, reason="")


def test_failure_after_first_statement_leaves_nothing(engine, world, monkeypatch):
    monkeypatch.setattr(audit, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("down")))
    before = snapshot(engine)
    with pytest.raises(RuntimeError):
        issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request, now=NOW)
    assert snapshot(engine) == before
    assert _request_status(engine, world.request) == "pending"


def test_queue_list_summary_export(engine, world):
    queue = trade_in_queue(engine, actor=MARKETING, now=NOW)
    assert [q["id"] for q in queue] == [world.request]
    assert queue[0]["member_masked"] == "张*丰" and queue[0]["phone_masked"] == "138****5678"
    assert queue[0]["min_value_fen"] <= queue[0]["rule_value_fen"] <= queue[0]["max_value_fen"]
    issued = issue_coupon(engine, actor=MARKETING, trade_in_request_id=world.request, now=NOW)
    with engine.begin() as connection:
        make = Factory(connection, seed=9)
        make.coupon(member_id=world.member, status="redeemed", redeemed_at=datetime(2026, 2, 3),
                    issued_at=datetime(2026, 2, 1))
        make.coupon(member_id=world.member, issued_at=datetime(2025, 10, 1), expires_at=datetime(2026, 1, 1))
    listed = coupon_list(engine, actor=MARKETING, now=NOW)
    assert listed[0]["id"] == issued.coupon_id and "phone" not in listed[0]
    assert {c["current_status"] for c in listed} == {"issued", "redeemed", "expired"}
    assert [c["current_status"] for c in coupon_list(engine, actor=MARKETING, now=NOW, status="expired")] \
        == ["expired"]
    summary = coupon_summary(engine, actor=MARKETING, now=NOW)
    assert summary["counts"] == {"issued": 2, "redeemed": 1, "expired": 1, "void": 0}
    assert summary["redemption_rate"] == pytest.approx(1 / 4)
    rows = coupon_push_export(engine, actor=MARKETING, now=NOW, issued_from=date(2026, 3, 1),
                              issued_to=date(2026, 3, 2))
    assert rows == [{"member_id": world.member, "phone_masked": "138****5678", "code": issued.code,
                     "value_yuan": issued.value_fen / 100, "expires_at": issued.expires_at}]


def test_rule_table_and_bounds_setting():
    table = DEFAULTS.coupon_rule_table()
    assert len(table) == 7 * 3 * 2
    assert all(r["min_fen"] <= r["value_fen"] <= r["max_fen"] for r in table)
    tight = CommandSettings(coupon_adjust_fraction=0.1, coupon_max_fen=20_000)
    assert tight.coupon_rule_fen("air_conditioner", 1, "working") == 20_000  # clamped to the maximum
    assert tight.coupon_bounds_fen(20_000) == (18_000, 20_000)
    assert DEFAULTS.coupon_bounds_fen(10_000) == (5_000, 15_000)
