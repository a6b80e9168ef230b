"""Every write × every role: the allowed roles succeed, the others are refused
with PermissionDenied and nothing changes (rows, statuses, audit log)."""
from __future__ import annotations

from datetime import date

import pytest

from lib.commands.certifications import (approve_certification, approve_certifications,
                                         reject_certification, revoke_certification)
from lib.commands.coupons import issue_coupon, reject_trade_in, void_coupon
from lib.commands import queries as q
from lib.commands.free_repair_days import cancel_free_repair_day, plan_free_repair_day
from lib.demo.factory import Factory
from lib.roles import PermissionDenied
from tests.commands.conftest import ACTORS, ALLOWED, NOW, TODAY, snapshot


def _planned_event(engine, world):
    with engine.begin() as connection:
        return Factory(connection).free_repair_day(community_id=world.community,
                                                   event_date=date(2026, 3, 20))


WRITES = {
    "approve_certification": ("certifications.review", lambda e, w, a: approve_certification(
        e, actor=a, certification_id=w.pending, now=NOW)),
    "approve_certifications": ("certifications.review", lambda e, w, a: approve_certifications(
        e, actor=a, certification_ids=[w.pending], now=NOW)),
    "reject_certification": ("certifications.review", lambda e, w, a: reject_certification(
        e, actor=a, certification_id=w.pending, reason="成绩造假", now=NOW)),
    "revoke_certification": ("certifications.review", lambda e, w, a: revoke_certification(
        e, actor=a, certification_id=w.approved, reason="投诉属实", now=NOW)),
    "issue_coupon": ("coupons.manage", lambda e, w, a: issue_coupon(
        e, actor=a, trade_in_request_id=w.request, now=NOW)),
    "reject_trade_in": ("coupons.manage", lambda e, w, a: reject_trade_in(
        e, actor=a, trade_in_request_id=w.request, reason="重复申请", now=NOW)),
    "void_coupon": ("coupons.manage", lambda e, w, a: void_coupon(
        e, actor=a, coupon_id=w.coupon, reason="发错了", now=NOW)),
    "plan_free_repair_day": ("free_repair_days.plan", lambda e, w, a: plan_free_repair_day(
        e, actor=a, community_id=w.community, event_date=date(2026, 3, 10),
        services=["filter_change"], capacity=40, engineer_ids=[w.worker], today=TODAY, now=NOW)),
    "cancel_free_repair_day": ("free_repair_days.plan", lambda e, w, a: cancel_free_repair_day(
        e, actor=a, free_repair_day_id=_planned_event(e, w), reason="天气原因", now=NOW)),
}


@pytest.mark.parametrize("role", list(ACTORS))
@pytest.mark.parametrize("write", list(WRITES))
def test_role_is_checked_inside_every_write(sqlite_engine, sqlite_world, write, role):
    permission, call = WRITES[write]
    actor = ACTORS[role]
    if role in ALLOWED[permission]:
        before = snapshot(sqlite_engine)
        result = call(sqlite_engine, sqlite_world, actor)
        assert result is not None, f"{write} as {role} returned nothing"
        assert snapshot(sqlite_engine) != before, f"{write} as {role} changed nothing"
    else:
        if write == "cancel_free_repair_day":
            _planned_event(sqlite_engine, sqlite_world)  # so the refusal is the only difference
        before = snapshot(sqlite_engine)
        with pytest.raises(PermissionDenied):
            call(sqlite_engine, sqlite_world, actor) if write != "cancel_free_repair_day" else \
                cancel_free_repair_day(sqlite_engine, actor=actor, free_repair_day_id=1, reason="天气原因")
        assert snapshot(sqlite_engine) == before, f"{write} as {role} changed something"


def test_anonymous_actor_is_refused(sqlite_engine, sqlite_world):
    before = snapshot(sqlite_engine)
    with pytest.raises(PermissionDenied):
        approve_certification(sqlite_engine, actor=None, certification_id=sqlite_world.pending)
    assert snapshot(sqlite_engine) == before


READS = {
    "certification_queue": ("certifications.review", lambda e, w, a: q.certification_queue(e, actor=a, now=NOW)),
    "certification_detail": ("certifications.review", lambda e, w, a: q.certification_detail(
        e, actor=a, certification_id=w.pending)),
    "engineer_history": ("certifications.review", lambda e, w, a: q.engineer_history(
        e, actor=a, engineer_id=w.applicant)),
    "trade_in_queue": ("coupons.manage", lambda e, w, a: q.trade_in_queue(e, actor=a, now=NOW)),
    "coupon_list": ("coupons.manage", lambda e, w, a: q.coupon_list(e, actor=a, now=NOW)),
    "coupon_push_export": ("coupons.manage", lambda e, w, a: q.coupon_push_export(e, actor=a, now=NOW)),
    "free_repair_day_list": ("free_repair_days.plan", lambda e, w, a: q.free_repair_day_list(
        e, actor=a, date_from=TODAY, date_to=TODAY)),
}


@pytest.mark.parametrize("role", list(ACTORS))
@pytest.mark.parametrize("read", list(READS))
def test_role_is_checked_inside_every_read(sqlite_engine, sqlite_world, read, role):
    permission, call = READS[read]
    if role in ALLOWED[permission]:
        assert call(sqlite_engine, sqlite_world, ACTORS[role]) is not None
    else:
        with pytest.raises(PermissionDenied):
            call(sqlite_engine, sqlite_world, ACTORS[role])
