"""Marketing's free-repair days: plan one for a community, cancel it.

Rules (chosen where SPEC is silent):
- Date: a `datetime.date` (not a datetime), from today (Beijing, injectable as
  `today`) up to `event_max_days_ahead` (365) days ahead.
- Services: a non-empty list drawn from SERVICES, stored comma-separated in
  the order of SERVICES, duplicates dropped.
- Capacity: a whole number 1..`event_max_capacity` (500).
- Engineers: 1..`event_max_engineers` (30) ids. Each must be `active`, in the
  community's city, hold an approved certification in a category one of the
  planned services needs (SERVICE_CATEGORIES), and not be on another
  non-cancelled event that day. Together they must cover every service.
- One non-cancelled event per community per day; the second planner gets
  Conflict naming who planned the first and when.
- Cancelling applies to a `planned` event only; the reason goes to the audit log.
- A cancelled event whose date has not come yet can be uncancelled (back to
  planned, reason required) when its community is still free that day and its
  team still qualifies (the same checks as planning).
- Input problems are reported all at once (`Problems`), not one at a time.

Concurrency: the community row and the engineers' rows are locked
(`FOR UPDATE`) on PostgreSQL and MariaDB before the event is inserted; on
SQLite the insert itself takes the database's single write lock. The clash
checks run after the insert, so of two planners the second always sees the first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, update

from lib import audit
from lib.commands import (Lost, changed_meanwhile, collect, last_decision, moment, permitted,
                          reading, transaction, validate_id, validate_reason)
from lib.commands.settings import CommandSettings, load_settings
from lib.db.schema import communities, engineer_certifications, engineers
from lib.db.schema import free_repair_day_engineers as staffing
from lib.db.schema import free_repair_days as events
from lib.errors import Conflict, NotFound, UserFacingError, ValidationFailed
from lib.roles import Actor

PERMISSION = "free_repair_days.plan"
SERVICES = ("cleaning", "safety_check", "air_test", "water_test", "filter_change")
# which approved certification qualifies an engineer for a service
SERVICE_CATEGORIES: dict[str, frozenset[str]] = {
    "cleaning": frozenset({"air_conditioner", "range_hood", "water_purifier", "washing_machine"}),
    "safety_check": frozenset({"gas_stove", "water_heater"}),
    "air_test": frozenset({"air_conditioner"}),
    "water_test": frozenset({"water_purifier"}),
    "filter_change": frozenset({"water_purifier"}),
}


@dataclass(frozen=True)
class PlannedEvent:
    free_repair_day_id: int
    community_id: int
    event_date: date
    services: tuple[str, ...]
    capacity: int
    engineer_ids: tuple[int, ...]
    planned_by: str
    created_at: datetime


@dataclass(frozen=True)
class CancelledEvent:
    free_repair_day_id: int
    cancelled_by: str
    cancelled_at: datetime


def today_local() -> date:
    return moment(None).date()


def validate_event_date(value: object, *, today: date, settings: CommandSettings) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationFailed("commands.event.bad_date")
    if value < today:
        raise ValidationFailed("commands.event.date_in_past", date=value.isoformat(),
                               today=today.isoformat())
    last = today + timedelta(days=settings.event_max_days_ahead)
    if value > last:
        raise ValidationFailed("commands.event.date_too_far", date=value.isoformat(), last=last.isoformat())
    return value


def validate_services(value: object) -> tuple[str, ...]:
    choices = ", ".join(SERVICES)
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise ValidationFailed("commands.event.services_required", choices=choices)
    unknown = [v for v in value if not isinstance(v, str) or v not in SERVICES]
    if unknown:
        raise ValidationFailed("commands.event.unknown_service", service=str(unknown[0])[:40],
                               choices=choices)
    chosen = tuple(s for s in SERVICES if s in value)
    if not chosen:
        raise ValidationFailed("commands.event.services_required", choices=choices)
    return chosen


def validate_capacity(value: object, *, settings: CommandSettings) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= settings.event_max_capacity:
        raise ValidationFailed("commands.event.bad_capacity", maximum=settings.event_max_capacity)
    return value


def validate_engineer_ids(value: object, *, settings: CommandSettings) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise ValidationFailed("commands.event.engineers_required", maximum=settings.event_max_engineers)
    ids = tuple(sorted({validate_id(v, field="engineer_ids") for v in value}))
    if not 0 < len(ids) <= settings.event_max_engineers:
        raise ValidationFailed("commands.event.engineers_required", maximum=settings.event_max_engineers)
    return ids


def plan_free_repair_day(engine, *, actor: Actor, community_id: int, event_date: date, services,
                         capacity: int, engineer_ids, today: date | None = None,
                         now: datetime | None = None,
                         settings: CommandSettings | None = None) -> PlannedEvent:
    """Plan a free-repair day with its engineers (see the module's rules)."""
    permitted(actor, PERMISSION)
    settings = settings or load_settings()
    at = moment(now)
    community_id, event_date, chosen, capacity, team = collect(
        lambda: validate_id(community_id, field="community_id"),
        lambda: validate_event_date(event_date, today=today or at.date(), settings=settings),
        lambda: validate_services(services),
        lambda: validate_capacity(capacity, settings=settings),
        lambda: validate_engineer_ids(engineer_ids, settings=settings))
    with transaction(engine) as connection:
        community = connection.execute(select(communities.c.id, communities.c.city_id)
                                       .where(communities.c.id == community_id)
                                       .with_for_update()).first()
        if community is None:
            raise ValidationFailed("commands.event.unknown_community", community_id=community_id)
        people = {row.id: row for row in connection.execute(
            select(engineers.c.id, engineers.c.name, engineers.c.status, engineers.c.city_id)
            .where(engineers.c.id.in_(team)).order_by(engineers.c.id).with_for_update())}
        missing = [e for e in team if e not in people]
        if missing:
            raise ValidationFailed("commands.event.unknown_engineer", engineer_id=missing[0])
        event_id = connection.execute(insert(events).values(
            community_id=community_id, event_date=event_date, services=",".join(chosen),
            capacity=capacity, status="planned", planned_by=actor.username, created_at=at,
        )).inserted_primary_key[0]
        connection.execute(insert(staffing), [{"free_repair_day_id": event_id, "engineer_id": e}
                                               for e in team])
        _check_community_free(connection, community_id, event_date, event_id)
        _check_team(connection, people, team, community.city_id, chosen, event_date, event_id)
        audit.record(connection, actor=actor, permission=PERMISSION, action="free_repair_day.plan",
                     entity="free_repair_days", entity_id=event_id, before=None,
                     after={"community_id": community_id, "event_date": event_date,
                            "services": list(chosen), "capacity": capacity,
                            "engineer_ids": list(team), "status": "planned"},
                     at=at)
    return PlannedEvent(event_id, community_id, event_date, chosen, capacity, team, actor.username, at)


def cancel_free_repair_day(engine, *, actor: Actor, free_repair_day_id: int, reason: str,
                           now: datetime | None = None,
                           expected_status: str | None = None) -> CancelledEvent:
    """Cancel a planned event; the reason goes to the audit log."""
    permitted(actor, PERMISSION)
    free_repair_day_id = validate_id(free_repair_day_id, field="free_repair_day_id")
    reason = validate_reason(reason)
    at = moment(now)
    try:
        with transaction(engine) as connection:
            row = _locked_event(connection, free_repair_day_id, expected_status)
            changed = connection.execute(
                update(events).where(events.c.id == free_repair_day_id, events.c.status == "planned")
                .values(status="cancelled")).rowcount
            if changed != 1:
                raise Lost()
            audit.record(connection, actor=actor, permission=PERMISSION, action="free_repair_day.cancel",
                         entity="free_repair_days", entity_id=free_repair_day_id,
                         before={"status": "planned"}, after={"status": "cancelled", "reason": reason},
                         at=at)
    except Lost:
        raise _cancel_conflict(engine, free_repair_day_id) from None
    return CancelledEvent(free_repair_day_id, actor.username, at)


def uncancel_free_repair_day(engine, *, actor: Actor, free_repair_day_id: int, reason: str,
                             today: date | None = None, now: datetime | None = None,
                             expected_status: str | None = None) -> CancelledEvent:
    """Put a cancelled event that has not happened back to planned (see the module's rules)."""
    permitted(actor, PERMISSION)
    free_repair_day_id = validate_id(free_repair_day_id, field="free_repair_day_id")
    reason = validate_reason(reason)
    at = moment(now)
    today = today or at.date()
    with transaction(engine) as connection:
        row = _locked_event(connection, free_repair_day_id, expected_status)
        if row.status != "cancelled":
            raise ValidationFailed("forms.event.not_cancelled", status=row.status)
        if row.event_date < today:
            raise ValidationFailed("forms.event.already_past", date=row.event_date.isoformat())
        community = connection.execute(select(communities.c.city_id).where(
            communities.c.id == row.community_id).with_for_update()).first()
        team = tuple(connection.execute(select(staffing.c.engineer_id).where(
            staffing.c.free_repair_day_id == row.id).order_by(staffing.c.engineer_id)).scalars())
        people = {p.id: p for p in connection.execute(
            select(engineers.c.id, engineers.c.name, engineers.c.status, engineers.c.city_id)
            .where(engineers.c.id.in_(team)).order_by(engineers.c.id).with_for_update())}
        changed = connection.execute(update(events).where(events.c.id == row.id,
                                                          events.c.status == "cancelled")
                                     .values(status="planned")).rowcount
        if changed != 1:
            raise Conflict("commands.event.not_cancellable", by="?", at="?", decision=row.status)
        _check_community_free(connection, row.community_id, row.event_date, row.id)
        _check_team(connection, people, team, community.city_id, tuple(row.services.split(",")),
                    row.event_date, row.id)
        audit.record(connection, actor=actor, permission=PERMISSION, action="free_repair_day.uncancel",
                     entity="free_repair_days", entity_id=row.id, before={"status": "cancelled"},
                     after={"status": "planned", "reason": reason}, at=at)
    return CancelledEvent(free_repair_day_id, actor.username, at)


# -- internals ---------------------------------------------------------------

def _check_community_free(connection, community_id: int, event_date: date, event_id: int) -> None:
    other = connection.execute(
        select(events.c.id, events.c.planned_by, events.c.created_at)
        .where(events.c.community_id == community_id, events.c.event_date == event_date,
               events.c.status != "cancelled", events.c.id != event_id)
        .order_by(events.c.id).limit(1)).first()
    if other is not None:
        raise Conflict("commands.event.community_taken", by=other.planned_by, at=other.created_at,
                       decision="planned", event_id=other.id, date=event_date.isoformat())


def _check_team(connection, people, team, city_id, chosen, event_date, event_id) -> None:
    needed = set().union(*(SERVICE_CATEGORIES[s] for s in chosen))
    certified: dict[int, set[str]] = {}
    for row in connection.execute(
            select(engineer_certifications.c.engineer_id, engineer_certifications.c.category)
            .where(engineer_certifications.c.engineer_id.in_(team),
                   engineer_certifications.c.status == "approved")):
        certified.setdefault(row.engineer_id, set()).add(row.category)
    booked = {row.engineer_id: row.free_repair_day_id for row in connection.execute(
        select(staffing.c.engineer_id, staffing.c.free_repair_day_id)
        .join(events, events.c.id == staffing.c.free_repair_day_id)
        .where(staffing.c.engineer_id.in_(team), events.c.event_date == event_date,
               events.c.status != "cancelled", events.c.id != event_id))}
    for engineer_id in team:
        person = people.get(engineer_id)
        if person is None:
            raise ValidationFailed("commands.event.unknown_engineer", engineer_id=engineer_id)
        if person.status != "active":
            raise ValidationFailed("commands.event.engineer_not_active", engineer=person.name,
                                   status=person.status)
        if person.city_id != city_id:
            raise ValidationFailed("commands.event.engineer_other_city", engineer=person.name)
        if not certified.get(engineer_id, set()) & needed:
            raise ValidationFailed("commands.event.engineer_not_certified", engineer=person.name,
                                   services=", ".join(chosen))
        if engineer_id in booked:
            raise ValidationFailed("commands.event.engineer_booked", engineer=person.name,
                                   date=event_date.isoformat(), event_id=booked[engineer_id])
    held = set().union(*(certified.get(e, set()) for e in team))
    uncovered = [s for s in chosen if not SERVICE_CATEGORIES[s] & held]
    if uncovered:
        raise ValidationFailed("commands.event.service_uncovered", service=uncovered[0])


def _cancel_conflict(engine, free_repair_day_id: int) -> UserFacingError:
    with reading(engine) as connection:
        status = connection.execute(select(events.c.status).where(
            events.c.id == free_repair_day_id)).scalar()
        decided = last_decision(connection, entity="free_repair_days", entity_id=free_repair_day_id,
                                actions=("free_repair_day.cancel",))
    if status is None:
        return NotFound("error.not_found")
    return Conflict("commands.event.not_cancellable", by=decided["actor"] if decided else "?",
                    at=decided["at"] if decided else "?", decision=status)


def _locked_event(connection, free_repair_day_id: int, expected_status: str | None):
    """The event's row, locked for this transaction; refused when missing, or when its
    status is no longer the one the user was shown."""
    row = connection.execute(select(events).where(events.c.id == free_repair_day_id)
                             .with_for_update()).first()
    if row is None:
        raise NotFound("error.not_found")
    if expected_status is not None and row.status != expected_status:
        raise changed_meanwhile(connection, entity="free_repair_days", entity_id=row.id,
                                status=row.status, expected=expected_status)
    return row
