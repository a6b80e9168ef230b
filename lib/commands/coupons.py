"""Marketing's trade-in coupons: issue one per request, reject a request, void a coupon.

Rules (chosen where SPEC is silent):
- The value comes from the rule table (category, age band, condition; see
  `CommandSettings.coupon_rule_fen`). Marketing may choose another value within
  `coupon_bounds_fen`: ±`coupon_adjust_fraction` of the rule value, and never
  outside `coupon_min_fen`..`coupon_max_fen`. Values are whole yuan (a multiple of
  `coupon_round_fen` fen), and so are the bounds.
- One coupon per request, whatever happens: the request's status moves
  pending → coupon_issued by a conditional UPDATE (first line) and
  `coupons.trade_in_request_id` is unique (last line). Voiding a coupon does not
  reopen its request.
- A rejection's reason and a void's reason live in the audit log (the tables
  have no column for them; the console writes only `status` there).
- Only an `issued`, unredeemed coupon can be voided, even if past its expiry.
- The audit log keeps the coupon's id and a masked code (first 4 characters);
  the whole code is only in `coupons`.
- Each decision may carry `expected_status`, the status the record was shown in;
  a change in between is refused naming who made it.
- Retry after an unknown outcome: `issue_coupon(..., attempt="...")` with the same
  attempt id (the page keeps one per confirmation) returns the coupon that attempt
  issued, instead of a conflict, when the first try was in fact committed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from lib import audit
from lib.commands import (Lost, changed_meanwhile, last_decision, moment, permitted, reading,
                          transaction, validate_id, validate_reason)
from lib.commands.coupon_codes import generate_code
from lib.commands.settings import CommandSettings, load_settings
from lib.db.schema import console_audit_log, coupons, trade_in_requests
from lib.errors import Conflict, NotFound, UserFacingError, ValidationFailed
from lib.roles import Actor

PERMISSION = "coupons.manage"
CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class IssuedCoupon:
    coupon_id: int
    trade_in_request_id: int
    member_id: int
    code: str
    value_fen: int
    rule_value_fen: int
    issued_by: str
    issued_at: datetime
    expires_at: datetime
    replayed: bool = False   # this attempt had been committed already: the same coupon again


@dataclass(frozen=True)
class TradeInRejection:
    trade_in_request_id: int
    rejected_by: str
    rejected_at: datetime


@dataclass(frozen=True)
class VoidedCoupon:
    coupon_id: int
    voided_by: str
    voided_at: datetime


def validate_coupon_value(value_fen: object, *, rule_fen: int, settings: CommandSettings) -> int:
    """A chosen coupon value: whole fen within the bounds the settings give around the rule value."""
    low, high = settings.coupon_bounds_fen(rule_fen)
    if isinstance(value_fen, bool) or not isinstance(value_fen, int):
        raise ValidationFailed("commands.coupon.value_not_whole", min_fen=low, max_fen=high)
    if value_fen % settings.coupon_round_fen:
        raise ValidationFailed("commands.coupon.value_not_whole", min_fen=low, max_fen=high)
    if not low <= value_fen <= high:
        raise ValidationFailed("commands.coupon.value_out_of_range", value_fen=value_fen,
                               rule_fen=rule_fen, min_fen=low, max_fen=high)
    return value_fen


YUAN_TEXT = re.compile(r"\s*[¥￥]?\s*(\d{1,7})\s*(元)?\s*")


def parse_yuan(text: object, *, rule_fen: int, settings: CommandSettings) -> int:
    """A coupon value typed as whole yuan ("150", "¥150", "150元") -> fen, within the bounds.

    Cents ("150.50"), signs and anything else are refused with the bounds in the message.
    """
    low, high = settings.coupon_bounds_fen(rule_fen)
    match = YUAN_TEXT.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValidationFailed("commands.coupon.value_not_whole", min_fen=low, max_fen=high)
    return validate_coupon_value(int(match.group(1)) * 100, rule_fen=rule_fen, settings=settings)


def mask_code(code: str) -> str:
    return code[:4] + "*" * max(0, len(code) - 4)


def issue_coupon(engine, *, actor: Actor, trade_in_request_id: int, value_fen: int | None = None,
                 now: datetime | None = None, settings: CommandSettings | None = None,
                 expected_status: str | None = None, attempt: str | None = None) -> IssuedCoupon:
    """Issue the coupon for a pending trade-in request and mark it coupon_issued.

    `value_fen` None takes the rule table's value. A second attempt on the same
    request (double click, second marketer) raises Conflict naming the issuer.
    """
    permitted(actor, PERMISSION)
    trade_in_request_id = validate_id(trade_in_request_id, field="trade_in_request_id")
    settings = settings or load_settings()
    if value_fen is not None and (isinstance(value_fen, bool) or not isinstance(value_fen, int)):
        raise ValidationFailed("commands.coupon.value_not_whole", min_fen=settings.coupon_min_fen,
                               max_fen=settings.coupon_max_fen)
    if attempt is not None and (not isinstance(attempt, str) or not 0 < len(attempt) <= 64):
        raise ValidationFailed("commands.bad_id", field="attempt")
    at = moment(now)
    expires = at + timedelta(days=settings.coupon_validity_days)
    try:
        with transaction(engine) as connection:
            request = connection.execute(
                select(trade_in_requests).where(trade_in_requests.c.id == trade_in_request_id)
                .with_for_update()).first()
            if request is None:
                raise NotFound("error.not_found")
            if request.status != "pending":
                raise Lost()
            _expect(connection, "trade_in_requests", trade_in_request_id, request.status, expected_status)
            rule = settings.coupon_rule_fen(request.category, request.age_years, request.condition)
            value = rule if value_fen is None else validate_coupon_value(
                value_fen, rule_fen=rule, settings=settings)
            changed = connection.execute(
                update(trade_in_requests)
                .where(trade_in_requests.c.id == trade_in_request_id,
                       trade_in_requests.c.status == "pending")
                .values(status="coupon_issued")).rowcount
            if changed != 1:
                raise Lost()
            code = _unused_code(connection)
            try:  # the unique trade_in_request_id: the last line of defence
                coupon_id = connection.execute(insert(coupons).values(
                    code=code, member_id=request.member_id, trade_in_request_id=trade_in_request_id,
                    value_fen=value, issued_at=at, issued_by=actor.username, expires_at=expires,
                    redeemed_at=None, status="issued")).inserted_primary_key[0]
            except IntegrityError:
                raise Lost() from None
            audit.record(connection, actor=actor, permission=PERMISSION, action="coupon.issue",
                         entity="trade_in_requests", entity_id=trade_in_request_id,
                         before={"status": "pending"},
                         after={"status": "coupon_issued", "coupon_id": coupon_id,
                                "code": mask_code(code), "value_fen": value, "rule_value_fen": rule,
                                "member_id": request.member_id, "expires_at": expires,
                                **({"attempt": attempt} if attempt else {})},
                         at=at)
    except Lost:
        replay = _replayed(engine, actor, trade_in_request_id, attempt)
        if replay is not None:
            return replay
        raise _issued_conflict(engine, trade_in_request_id) from None
    return IssuedCoupon(coupon_id, trade_in_request_id, request.member_id, code, value, rule,
                        actor.username, at, expires)


def reject_trade_in(engine, *, actor: Actor, trade_in_request_id: int, reason: str,
                    now: datetime | None = None, expected_status: str | None = None) -> TradeInRejection:
    """Reject a pending trade-in request; the reason goes to the audit log."""
    permitted(actor, PERMISSION)
    trade_in_request_id = validate_id(trade_in_request_id, field="trade_in_request_id")
    reason = validate_reason(reason)
    at = moment(now)
    try:
        with transaction(engine) as connection:
            exists = connection.execute(select(trade_in_requests.c.id, trade_in_requests.c.status).where(
                trade_in_requests.c.id == trade_in_request_id).with_for_update()).first()
            if exists is None:
                raise NotFound("error.not_found")
            _expect(connection, "trade_in_requests", trade_in_request_id, exists.status, expected_status)
            changed = connection.execute(
                update(trade_in_requests)
                .where(trade_in_requests.c.id == trade_in_request_id,
                       trade_in_requests.c.status == "pending")
                .values(status="rejected")).rowcount
            if changed != 1:
                raise Lost()
            audit.record(connection, actor=actor, permission=PERMISSION, action="trade_in.reject",
                         entity="trade_in_requests", entity_id=trade_in_request_id,
                         before={"status": "pending"}, after={"status": "rejected", "reason": reason},
                         at=at)
    except Lost:
        raise _issued_conflict(engine, trade_in_request_id) from None
    return TradeInRejection(trade_in_request_id, actor.username, at)


def void_coupon(engine, *, actor: Actor, coupon_id: int, reason: str,
                now: datetime | None = None, expected_status: str | None = None) -> VoidedCoupon:
    """Void an issued, unredeemed coupon; the reason goes to the audit log."""
    permitted(actor, PERMISSION)
    coupon_id = validate_id(coupon_id, field="coupon_id")
    reason = validate_reason(reason)
    at = moment(now)
    try:
        with transaction(engine) as connection:
            row = connection.execute(select(coupons).where(coupons.c.id == coupon_id)
                                     .with_for_update()).first()
            if row is None:
                raise NotFound("error.not_found")
            _expect(connection, "coupons", coupon_id, row.status, expected_status)
            changed = connection.execute(
                update(coupons).where(coupons.c.id == coupon_id, coupons.c.status == "issued",
                                      coupons.c.redeemed_at.is_(None))
                .values(status="void")).rowcount
            if changed != 1:
                raise Lost()
            audit.record(connection, actor=actor, permission=PERMISSION, action="coupon.void",
                         entity="coupons", entity_id=coupon_id,
                         before={"status": "issued", "code": mask_code(row.code)},
                         after={"status": "void", "reason": reason}, at=at)
    except Lost:
        raise _void_conflict(engine, coupon_id) from None
    return VoidedCoupon(coupon_id, actor.username, at)


# -- internals ---------------------------------------------------------------

def _expect(connection, entity, entity_id, status, expected_status) -> None:
    if expected_status is not None and status != expected_status:
        raise changed_meanwhile(connection, entity=entity, entity_id=entity_id, status=status,
                                expected=expected_status)


def _replayed(engine, actor: Actor, trade_in_request_id: int, attempt: str | None) -> IssuedCoupon | None:
    """The coupon an earlier try of this same attempt committed, if it did."""
    if not attempt:
        return None
    log = console_audit_log
    with reading(engine) as connection:
        entry = connection.execute(
            select(log.c.after_json).where(log.c.entity == "trade_in_requests",
                                           log.c.entity_id == trade_in_request_id,
                                           log.c.action == "coupon.issue", log.c.actor == actor.username)
            .order_by(log.c.id.desc()).limit(1)).scalar()
        if entry is None or json.loads(entry).get("attempt") != attempt:
            return None
        coupon = connection.execute(select(coupons).where(
            coupons.c.trade_in_request_id == trade_in_request_id)).first()
    if coupon is None:
        return None
    rule = json.loads(entry).get("rule_value_fen", coupon.value_fen)
    return IssuedCoupon(coupon.id, trade_in_request_id, coupon.member_id, coupon.code, coupon.value_fen,
                        rule, coupon.issued_by, coupon.issued_at, coupon.expires_at, replayed=True)


def _unused_code(connection) -> str:
    for _ in range(CODE_ATTEMPTS):
        code = generate_code()
        if connection.execute(select(coupons.c.id).where(coupons.c.code == code)).first() is None:
            return code
    raise RuntimeError("could not draw an unused coupon code")  # 31**12 codes: never in practice


def _issued_conflict(engine, trade_in_request_id: int) -> UserFacingError:
    with reading(engine) as connection:
        coupon = connection.execute(select(coupons.c.issued_by, coupons.c.issued_at).where(
            coupons.c.trade_in_request_id == trade_in_request_id)).first()
        if coupon is not None:
            return Conflict("commands.coupon.already_issued", by=coupon.issued_by,
                            at=coupon.issued_at, decision="coupon_issued")
        decided = last_decision(connection, entity="trade_in_requests", entity_id=trade_in_request_id,
                                actions=("trade_in.reject", "coupon.issue"))
        status = connection.execute(select(trade_in_requests.c.status).where(
            trade_in_requests.c.id == trade_in_request_id)).scalar()
    if status is None:
        return NotFound("error.not_found")
    return Conflict("commands.trade_in.already_decided", by=decided["actor"] if decided else "?",
                    at=decided["at"] if decided else "?", decision=status)


def _void_conflict(engine, coupon_id: int) -> UserFacingError:
    with reading(engine) as connection:
        row = connection.execute(select(coupons).where(coupons.c.id == coupon_id)).first()
        decided = last_decision(connection, entity="coupons", entity_id=coupon_id,
                                actions=("coupon.void",))
    if row is None:
        return NotFound("error.not_found")
    if row.redeemed_at is not None or row.status == "redeemed":
        return Conflict("commands.coupon.already_redeemed", by="member", at=row.redeemed_at or "?",
                        decision="redeemed")
    return Conflict("commands.coupon.not_voidable", by=decided["actor"] if decided else "?",
                    at=decided["at"] if decided else "?", decision=row.status)
