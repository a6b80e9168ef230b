"""Reads for the certification, coupon and free-repair-day admin pages.

Each checks the same permission as the page's writes, returns plain dicts
(lists limited, personal data masked: phone numbers and ID card numbers never
leave here whole) and never reads a whole table.
"""
from __future__ import annotations

import json
from types import SimpleNamespace
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select

from lib.commands import moment, permitted, reading, validate_id, validate_limit
from lib.commands.certifications import approval_blocker
from lib.commands.free_repair_days import SERVICE_CATEGORIES
from lib.commands.settings import CommandSettings, load_settings
from lib.db.schema import (cities, communities, console_audit_log, coupons, engineer_certifications,
                           engineers, free_repair_day_engineers, free_repair_days, members, ratings,
                           service_orders, trade_in_requests)
from lib.errors import NotFound, ValidationFailed
from lib.masking import mask_id_card, mask_name, mask_phone
from lib.roles import Actor

CERTIFICATIONS, COUPONS, EVENTS = "certifications.review", "coupons.manage", "free_repair_days.plan"
DEFAULT_LIMIT = 200
HISTORY_LIMIT = 200
EVENT_ORDERS_LIMIT = 1_000

certs = engineer_certifications


def _waiting(since: datetime, now: datetime) -> dict:
    seconds = max(0, int((now - since).total_seconds()))
    return {"waiting_hours": seconds // 3600, "waiting_days": seconds // 86400}


# -- certifications -----------------------------------------------------------

def certification_queue(engine, *, actor: Actor, city_id: int | None = None, category: str | None = None,
                        min_waiting_days: int | None = None, now: datetime | None = None,
                        limit: int = DEFAULT_LIMIT) -> list[dict]:
    """Pending applications, oldest first, with how long each has waited."""
    permitted(actor, CERTIFICATIONS)
    limit = validate_limit(limit, maximum=load_settings().list_max_rows)
    now = moment(now)
    query = (select(certs.c.id, certs.c.engineer_id, certs.c.category, certs.c.exam_score,
                    certs.c.id_verified, certs.c.work_card_verified, certs.c.applied_at,
                    engineers.c.name.label("engineer_name"), engineers.c.phone,
                    engineers.c.status.label("engineer_status"), cities.c.name.label("city"),
                    cities.c.id.label("city_id"))
             .join(engineers, engineers.c.id == certs.c.engineer_id)
             .join(cities, cities.c.id == engineers.c.city_id)
             .where(certs.c.status == "pending", certs.c.applied_at <= now)
             .order_by(certs.c.applied_at, certs.c.id).limit(limit))
    if city_id is not None:
        query = query.where(engineers.c.city_id == validate_id(city_id, field="city_id"))
    if category:
        query = query.where(certs.c.category == category)
    if min_waiting_days:
        if isinstance(min_waiting_days, bool) or not isinstance(min_waiting_days, int) or min_waiting_days < 0:
            raise ValidationFailed("commands.bad_waiting_days")
        query = query.where(certs.c.applied_at <= now - timedelta(days=min_waiting_days))
    with reading(engine) as connection:
        rows = connection.execute(query).mappings().all()
    pass_mark = load_settings().pass_mark
    result = []
    for row in rows:
        blocker = approval_blocker(SimpleNamespace(**row), pass_mark)
        result.append({**{k: v for k, v in row.items() if k != "phone"},
                       "phone_masked": mask_phone(row["phone"]), **_waiting(row["applied_at"], now),
                       "blocker_key": blocker.key if blocker else None,
                       "blocker_params": dict(blocker.params) if blocker else {}})
    return result


def certification_detail(engine, *, actor: Actor, certification_id: int,
                         now: datetime | None = None) -> dict:
    """One application with its engineer (ID card and phone masked) and their other certifications."""
    permitted(actor, CERTIFICATIONS)
    certification_id = validate_id(certification_id, field="certification_id")
    with reading(engine) as connection:
        row = connection.execute(
            select(certs, engineers.c.name.label("engineer_name"), engineers.c.phone,
                   engineers.c.id_card_no, engineers.c.work_card_no, engineers.c.registered_at,
                   engineers.c.status.label("engineer_status"), cities.c.name.label("city"))
            .join(engineers, engineers.c.id == certs.c.engineer_id)
            .join(cities, cities.c.id == engineers.c.city_id)
            .where(certs.c.id == certification_id)).mappings().first()
        if row is None:
            raise NotFound("error.not_found")
        others = connection.execute(
            select(certs.c.id, certs.c.category, certs.c.status, certs.c.reviewed_at)
            .where(certs.c.engineer_id == row["engineer_id"], certs.c.id != certification_id)
            .order_by(certs.c.applied_at).limit(50)).mappings().all()
    detail = {k: v for k, v in row.items() if k not in ("phone", "id_card_no")}
    detail.update(phone_masked=mask_phone(row["phone"]), id_card_masked=mask_id_card(row["id_card_no"]),
                  pass_mark=load_settings().pass_mark, other_certifications=[dict(o) for o in others],
                  **_waiting(row["applied_at"], moment(now)))
    return detail


def certification_history(engine, *, actor: Actor, certification_id: int) -> list[dict]:
    """Every decision on one application, oldest first."""
    permitted(actor, CERTIFICATIONS)
    certification_id = validate_id(certification_id, field="certification_id")
    return _history(engine, console_audit_log.c.entity == "engineer_certifications",
                    console_audit_log.c.entity_id == certification_id)


def engineer_history(engine, *, actor: Actor, engineer_id: int) -> list[dict]:
    """Every decision on an engineer's applications and status, oldest first."""
    permitted(actor, CERTIFICATIONS)
    engineer_id = validate_id(engineer_id, field="engineer_id")
    return _history(engine, or_(
        and_(console_audit_log.c.entity == "engineer_certifications",
             console_audit_log.c.entity_id.in_(select(certs.c.id).where(certs.c.engineer_id == engineer_id))),
        and_(console_audit_log.c.entity == "engineers", console_audit_log.c.entity_id == engineer_id),
    ))


def _history(engine, *conditions) -> list[dict]:
    log = console_audit_log
    with reading(engine) as connection:
        rows = connection.execute(
            select(log.c.id, log.c.at, log.c.actor, log.c.actor_role, log.c.action, log.c.entity,
                   log.c.entity_id, log.c.before_json, log.c.after_json)
            .where(*conditions).order_by(log.c.at, log.c.id).limit(HISTORY_LIMIT)).mappings().all()
    return [{**{k: v for k, v in r.items() if not k.endswith("_json")},
             "before": json.loads(r["before_json"]) if r["before_json"] else None,
             "after": json.loads(r["after_json"]) if r["after_json"] else None} for r in rows]


# -- trade-in coupons ------------------------------------------------------------

def trade_in_queue(engine, *, actor: Actor, category: str | None = None, now: datetime | None = None,
                   limit: int = DEFAULT_LIMIT, settings: CommandSettings | None = None) -> list[dict]:
    """Pending trade-in requests, oldest first, with the rule value and the allowed range."""
    permitted(actor, COUPONS)
    settings = settings or load_settings()
    limit = validate_limit(limit, maximum=settings.list_max_rows)
    now = moment(now)
    query = (select(trade_in_requests, members.c.name.label("member_name"), members.c.phone)
             .join(members, members.c.id == trade_in_requests.c.member_id)
             .where(trade_in_requests.c.status == "pending", trade_in_requests.c.reported_at <= now)
             .order_by(trade_in_requests.c.reported_at, trade_in_requests.c.id).limit(limit))
    if category:
        query = query.where(trade_in_requests.c.category == category)
    with reading(engine) as connection:
        rows = connection.execute(query).mappings().all()
    result = []
    for row in rows:
        rule = settings.coupon_rule_fen(row["category"], row["age_years"], row["condition"])
        low, high = settings.coupon_bounds_fen(rule)
        result.append({**{k: v for k, v in row.items() if k not in ("phone", "member_name")},
                       "member_masked": mask_name(row["member_name"]),
                       "phone_masked": mask_phone(row["phone"]),
                       "rule_value_fen": rule, "min_value_fen": low, "max_value_fen": high,
                       **_waiting(row["reported_at"], now)})
    return result


def _coupon_state(now: datetime):
    """The status a coupon has at `now`: an issued one past its expiry counts as expired."""
    return case((and_(coupons.c.status == "issued", coupons.c.expires_at <= now), "expired"),
                else_=coupons.c.status)


def _issued_between(query, issued_from: date | None, issued_to: date | None):
    if issued_from is not None:
        query = query.where(coupons.c.issued_at >= datetime.combine(issued_from, datetime.min.time()))
    if issued_to is not None:
        query = query.where(coupons.c.issued_at < datetime.combine(issued_to + timedelta(days=1),
                                                                   datetime.min.time()))
    return query


def coupon_list(engine, *, actor: Actor, status: str | None = None, issued_from: date | None = None,
                issued_to: date | None = None, now: datetime | None = None,
                limit: int = DEFAULT_LIMIT) -> list[dict]:
    """Coupons, newest first, with their status at `now` (issued past expiry: expired)."""
    permitted(actor, COUPONS)
    limit = validate_limit(limit, maximum=load_settings().list_max_rows)
    state = _coupon_state(moment(now)).label("current_status")
    query = (select(coupons.c.id, coupons.c.code, coupons.c.trade_in_request_id, coupons.c.value_fen,
                    coupons.c.issued_at, coupons.c.issued_by, coupons.c.expires_at, coupons.c.redeemed_at,
                    coupons.c.member_id, state, members.c.name.label("member_name"), members.c.phone)
             .join(members, members.c.id == coupons.c.member_id)
             .order_by(coupons.c.issued_at.desc(), coupons.c.id.desc()).limit(limit))
    if status:
        query = query.where(state == status)
    with reading(engine) as connection:
        rows = connection.execute(_issued_between(query, issued_from, issued_to)).mappings().all()
    return [{**{k: v for k, v in r.items() if k not in ("phone", "member_name")},
             "member_masked": mask_name(r["member_name"]), "phone_masked": mask_phone(r["phone"])}
            for r in rows]


def coupon_summary(engine, *, actor: Actor, issued_from: date | None = None,
                   issued_to: date | None = None, now: datetime | None = None) -> dict:
    """Counts by status at `now` and the redemption rate: redeemed / coupons not voided."""
    permitted(actor, COUPONS)
    state = _coupon_state(moment(now))
    query = _issued_between(select(state.label("status"), func.count().label("n"),
                                   func.sum(coupons.c.value_fen).label("value_fen")).group_by(state),
                            issued_from, issued_to)
    with reading(engine) as connection:
        rows = connection.execute(query).all()
    counts = {status: 0 for status in ("issued", "redeemed", "expired", "void")}
    values = dict.fromkeys(counts, 0)
    for row in rows:
        counts[row.status] = int(row.n)
        values[row.status] = int(row.value_fen or 0)
    live = counts["issued"] + counts["redeemed"] + counts["expired"]
    return {"counts": counts, "value_fen": values, "total": sum(counts.values()),
            "redemption_rate": counts["redeemed"] / live if live else None}


def coupon_push_export(engine, *, actor: Actor, issued_from: date | None = None,
                       issued_to: date | None = None, now: datetime | None = None,
                       settings: CommandSettings | None = None) -> list[dict]:
    """Rows for the WeChat/SMS push of coupons still usable at `now`.

    Member id and masked phone only: no names, no ID numbers.
    """
    permitted(actor, COUPONS)
    settings = settings or load_settings()
    now = moment(now)
    query = (select(coupons.c.code, coupons.c.value_fen, coupons.c.expires_at, coupons.c.issued_at,
                    coupons.c.member_id, members.c.phone)
             .join(members, members.c.id == coupons.c.member_id)
             .where(coupons.c.status == "issued", coupons.c.redeemed_at.is_(None),
                    coupons.c.expires_at > now)
             .order_by(coupons.c.issued_at, coupons.c.id).limit(settings.export_max_rows))
    with reading(engine) as connection:
        rows = connection.execute(_issued_between(query, issued_from, issued_to)).mappings().all()
    return [{"member_id": r["member_id"], "phone_masked": mask_phone(r["phone"]), "code": r["code"],
             "value_yuan": r["value_fen"] / 100, "expires_at": r["expires_at"]} for r in rows]


# -- free-repair days ----------------------------------------------------------------

def free_repair_day_list(engine, *, actor: Actor, date_from: date, date_to: date,
                         community_id: int | None = None, city_id: int | None = None,
                         include_cancelled: bool = True, limit: int = DEFAULT_LIMIT) -> list[dict]:
    """Events between two dates (both included), by date: for the list and the calendar."""
    permitted(actor, EVENTS)
    limit = validate_limit(limit, maximum=load_settings().list_max_rows)
    if not isinstance(date_from, date) or not isinstance(date_to, date) or date_from > date_to:
        raise ValidationFailed("commands.bad_date_range")
    staff = (select(func.count()).where(free_repair_day_engineers.c.free_repair_day_id == free_repair_days.c.id)
             .scalar_subquery())
    orders = (select(func.count()).where(service_orders.c.free_repair_day_id == free_repair_days.c.id)
              .scalar_subquery())
    query = (select(free_repair_days, communities.c.name.label("community"),
                    communities.c.city_id, cities.c.name.label("city"),
                    staff.label("engineers"), orders.label("orders"))
             .join(communities, communities.c.id == free_repair_days.c.community_id)
             .join(cities, cities.c.id == communities.c.city_id)
             .where(free_repair_days.c.event_date >= date_from, free_repair_days.c.event_date <= date_to)
             .order_by(free_repair_days.c.event_date, free_repair_days.c.id).limit(limit))
    if community_id is not None:
        query = query.where(free_repair_days.c.community_id == validate_id(community_id, field="community_id"))
    if city_id is not None:
        query = query.where(communities.c.city_id == validate_id(city_id, field="city_id"))
    if not include_cancelled:
        query = query.where(free_repair_days.c.status != "cancelled")
    with reading(engine) as connection:
        rows = connection.execute(query).mappings().all()
    return [{**r, "services": tuple(r["services"].split(","))} for r in rows]


def free_repair_day_detail(engine, *, actor: Actor, free_repair_day_id: int) -> dict:
    """One event: its engineers (phones masked), the orders it produced and their ratings."""
    permitted(actor, EVENTS)
    free_repair_day_id = validate_id(free_repair_day_id, field="free_repair_day_id")
    with reading(engine) as connection:
        event = connection.execute(
            select(free_repair_days, communities.c.name.label("community"))
            .join(communities, communities.c.id == free_repair_days.c.community_id)
            .where(free_repair_days.c.id == free_repair_day_id)).mappings().first()
        if event is None:
            raise NotFound("error.not_found")
        team = connection.execute(
            select(engineers.c.id, engineers.c.name, engineers.c.phone, engineers.c.status)
            .join(free_repair_day_engineers, free_repair_day_engineers.c.engineer_id == engineers.c.id)
            .where(free_repair_day_engineers.c.free_repair_day_id == free_repair_day_id)
            .order_by(engineers.c.id)).mappings().all()
        orders = connection.execute(
            select(service_orders.c.id, service_orders.c.member_id, service_orders.c.category,
                   service_orders.c.service_type, service_orders.c.engineer_id,
                   service_orders.c.created_at, service_orders.c.completed_at,
                   service_orders.c.cancelled_at, ratings.c.stars, ratings.c.comment, ratings.c.rated_at)
            .outerjoin(ratings, ratings.c.order_id == service_orders.c.id)
            .where(service_orders.c.source == "free_repair_day",
                   service_orders.c.free_repair_day_id == free_repair_day_id)
            .order_by(service_orders.c.created_at, service_orders.c.id).limit(EVENT_ORDERS_LIMIT)
        ).mappings().all()
    stars = [o["stars"] for o in orders if o["stars"] is not None]
    return {**event, "services": tuple(event["services"].split(",")),
            "engineers": [{"id": t["id"], "name": t["name"], "status": t["status"],
                           "phone_masked": mask_phone(t["phone"])} for t in team],
            "orders": [dict(o) for o in orders],
            "order_count": len(orders),
            "completed": sum(1 for o in orders if o["completed_at"] and not o["cancelled_at"]),
            "ratings": len(stars), "avg_stars": sum(stars) / len(stars) if stars else None}


def eligible_engineers(engine, *, actor, city_id: int, event_date: date,
                       services) -> list[dict]:
    """Engineers who may be booked: active, in the city, holding an approved
    certification for a category one of `services` needs, and not on another
    non-cancelled event that day (the same rules `plan_free_repair_day` checks).
    """
    permitted(actor, EVENTS)
    needed = sorted(set().union(*(SERVICE_CATEGORIES[s] for s in services))) if services else []
    if not needed:
        return []
    certs = engineer_certifications
    booked = (select(free_repair_day_engineers.c.engineer_id)
              .join(free_repair_days, free_repair_days.c.id == free_repair_day_engineers.c.free_repair_day_id)
              .where(free_repair_days.c.event_date == event_date,
                     free_repair_days.c.status != "cancelled"))
    query = (select(engineers.c.id, engineers.c.name, engineers.c.phone, certs.c.category)
             .join(certs, certs.c.engineer_id == engineers.c.id)
             .where(engineers.c.status == "active", engineers.c.city_id == int(city_id),
                    certs.c.status == "approved", certs.c.category.in_(needed),
                    engineers.c.id.not_in(booked))
             .order_by(engineers.c.name, engineers.c.id).limit(500))
    with reading(engine) as connection:
        rows = connection.execute(query).all()
    people: dict[int, dict] = {}
    for row in rows:
        person = people.setdefault(row.id, {"id": row.id, "name": row.name,
                                            "phone_masked": mask_phone(row.phone), "categories": []})
        person["categories"].append(row.category)
    return list(people.values())
