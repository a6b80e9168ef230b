"""Admins' alert rules (issue 16): create, edit, enable or disable, delete.

- `create_alert_rule(engine, *, actor, draft)`, `update_alert_rule(engine, *, actor,
  rule_id, expected_version, draft)`, `set_alert_rule_enabled(engine, *, actor, rule_id,
  expected_version, enabled)`, `delete_alert_rule(engine, *, actor, rule_id,
  expected_version)`. Permission `alerts.edit` (admins), checked here.
- Every field of a draft is checked before anything is written and every problem is
  reported at once (`Problems`), in the user's words; city and brand must exist, the
  destinations must be configured (`[[digest.destinations]]`).
- One transaction each, with its audit entry (`alert_rule.*`, entity
  `console_alert_rules`, before and after).
- Two admins at once: a change names the version it was drawn from; the conditional
  UPDATE (`WHERE id = ? AND version = ?`) matches only that version, and a change to a
  rule that moved in between is refused naming who changed it and when.
- Double submit: a change that finds the rule already as asked (same values; the
  first click's version) changes nothing and succeeds; a create whose name exists with
  the very same definition by the same admin returns that rule; delete of a rule already
  gone returns False.
- A new rule gets its state row (not firing) in the same transaction. Editing keeps the
  state: a firing rule whose new condition is false sends its recovery on the next run.
  Disabling silences a rule (not evaluated, no recovery); enabled again, it carries on
  from its state.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime, time

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from lib import audit
from lib.alerts import state as alert_state
from lib.alerts.kpis import COUNT, UNITS
from lib.commands import Lost, clean_text, collect, moment, permitted, reading, transaction, validate_id
from lib.db.schema import ALERT_COMPARISONS, ALERT_KPIS, brands, cities, console_alert_rules as rules, \
    console_alert_state as states, console_audit_log
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.roles import Actor

PERMISSION = "alerts.edit"
NAME_MAX = 80
WINDOW_HOURS = (1, 24 * 90)
REPEAT_MINUTES = (5, 7 * 24 * 60)
COUNT_MAX = 1_000_000
MAX_DESTINATIONS = 10
DEFINITION = ("name", "kpi", "city_id", "brand_id", "comparison", "threshold", "window_hours",
              "destinations", "repeat_minutes", "quiet_start", "quiet_end", "enabled")


@dataclass(frozen=True)
class RuleDraft:
    """What the form holds. Threshold in the KPI's unit: a rate as a fraction 0..1."""
    name: str = ""
    kpi: str | None = None
    city_id: int | None = None
    brand_id: int | None = None
    comparison: str | None = None
    threshold: float | None = None
    window_hours: int | None = 24
    destinations: tuple[str, ...] = field(default_factory=tuple)
    repeat_minutes: int | None = 60
    quiet_start: time | None = None
    quiet_end: time | None = None
    enabled: bool = True


@dataclass(frozen=True)
class SavedRule:
    id: int
    version: int
    name: str


def _whole(value: object, low: int, high: int, key: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed(key, minimum=low, maximum=high)
    return value


def _name(value: object) -> str:
    return clean_text(value, required_key="alerts.v.name_required", too_long_key="alerts.v.name_too_long",
                      min_chars=2, max_chars=NAME_MAX)


def _kpi(value: object) -> str:
    if value not in ALERT_KPIS:
        raise ValidationFailed("alerts.v.kpi_required")
    return value


def _comparison(value: object) -> str:
    if value not in ALERT_COMPARISONS:
        raise ValidationFailed("alerts.v.comparison_required")
    return value


def _threshold(value: object, kpi: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValidationFailed("alerts.v.threshold_required")
    if kpi not in UNITS:      # no KPI chosen: its range cannot be told (that problem is reported)
        return float(value)
    if UNITS[kpi] == COUNT:
        if float(value) != int(value) or not 0 <= value <= COUNT_MAX:
            raise ValidationFailed("alerts.v.threshold_count", maximum=COUNT_MAX)
    elif not 0 <= value <= 1:
        raise ValidationFailed("alerts.v.threshold_rate")
    return float(value)


def _destinations(value: object, known: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)) or not value:
        raise ValidationFailed("alerts.v.destinations_required")
    names = tuple(dict.fromkeys(value))
    if len(names) > MAX_DESTINATIONS:
        raise ValidationFailed("alerts.v.too_many_destinations", maximum=MAX_DESTINATIONS)
    unknown = [str(n)[:64] for n in names if n not in known]
    if unknown:
        raise ValidationFailed("alerts.v.unknown_destination", names=", ".join(unknown),
                               known=", ".join(known) or "–")
    return names


def _quiet(start: object, end: object) -> tuple[time | None, time | None]:
    if start is None and end is None:
        return None, None
    if not isinstance(start, time) or not isinstance(end, time):
        raise ValidationFailed("alerts.v.quiet_both")
    start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    if start == end:
        raise ValidationFailed("alerts.v.quiet_same")
    return start, end


def _exists(connection, table, value: object, key: str) -> int | None:
    if value is None:
        return None
    ident = validate_id(value, field=key)
    if connection.execute(select(table.c.id).where(table.c.id == ident)).first() is None:
        raise ValidationFailed(f"alerts.v.unknown_{key}", id=ident)
    return ident


def known_destination_names() -> tuple[str, ...]:
    from lib.digest.run import configured_destinations
    return tuple(d.name for d in configured_destinations())


def validate_draft(engine, draft: RuleDraft, known_destinations: tuple[str, ...] | None = None) -> dict:
    """The draft's values to store, or `Problems` listing everything that is wrong."""
    known = tuple(known_destinations if known_destinations is not None else known_destination_names())
    if not isinstance(draft, RuleDraft):
        raise ValidationFailed("alerts.v.kpi_required")
    with reading(engine) as connection:
        values = collect(
            lambda: _name(draft.name), lambda: _kpi(draft.kpi),
            lambda: _exists(connection, cities, draft.city_id, "city"),
            lambda: _exists(connection, brands, draft.brand_id, "brand"),
            lambda: _comparison(draft.comparison), lambda: _threshold(draft.threshold, draft.kpi),
            lambda: _whole(draft.window_hours, *WINDOW_HOURS, "alerts.v.window"),
            lambda: _destinations(draft.destinations, known),
            lambda: _whole(draft.repeat_minutes, *REPEAT_MINUTES, "alerts.v.repeat"),
            lambda: _quiet(draft.quiet_start, draft.quiet_end),
            lambda: bool(draft.enabled))
    out = dict(zip(("name", "kpi", "city_id", "brand_id", "comparison", "threshold", "window_hours",
                    "destinations", "repeat_minutes"), values[:9]))
    out["quiet_start"], out["quiet_end"] = values[9]
    out["enabled"] = values[10]
    return out


def _stored(values: dict) -> dict:
    return {**values, "destinations": ",".join(values["destinations"])}


def _audited(values: dict) -> dict:
    """A definition as the audit log keeps it (times as HH:MM, destinations as a list)."""
    out = {}
    for name in DEFINITION:
        value = values.get(name)
        if isinstance(value, time):
            value = value.strftime("%H:%M")
        elif name == "destinations":
            value = list(value.split(",") if isinstance(value, str) else value)
        out[name] = value
    return out


def _definition(row) -> dict:
    return _audited({name: getattr(row, name) for name in DEFINITION})


def _conflict(engine, rule_id: int, expected_version: int):
    with reading(engine) as connection:
        row = connection.execute(select(rules.c.version, rules.c.updated_by, rules.c.updated_at)
                                 .where(rules.c.id == rule_id)).first()
    if row is None:
        return NotFound("alerts.v.gone", id=rule_id)
    return Conflict("alerts.v.changed_meanwhile", id=rule_id, expected=expected_version, version=row.version,
                    by=row.updated_by, at=row.updated_at)


def create_alert_rule(engine, *, actor: Actor, draft: RuleDraft, known_destinations=None,
                      now: datetime | None = None) -> SavedRule:
    permitted(actor, PERMISSION)
    values = validate_draft(engine, draft, known_destinations)
    at = moment(now)
    try:
        with transaction(engine) as connection:
            rule_id = connection.execute(insert(rules).values(
                **_stored(values), version=1, created_by=actor.username, created_at=at,
                updated_by=actor.username, updated_at=at)).inserted_primary_key[0]
            alert_state.create_state(connection, rule_id)
            audit.record(connection, actor=actor, permission=PERMISSION, action="alert_rule.create",
                         entity="console_alert_rules", entity_id=rule_id, before=None,
                         after=_audited(values), at=at)
    except IntegrityError:     # the name is taken; by this very form a moment ago?
        with reading(engine) as connection:
            row = connection.execute(select(rules).where(rules.c.name == values["name"])).first()
        if row is not None and row.created_by == actor.username and row.version == 1 \
                and _definition(row) == _audited(values):
            return SavedRule(row.id, row.version, row.name)
        raise Conflict("alerts.v.name_taken", name=values["name"]) from None
    return SavedRule(rule_id, 1, values["name"])


def _expected(value: object) -> int:
    return _whole(value, 1, 2**31 - 1, "alerts.v.bad_version")


def update_alert_rule(engine, *, actor: Actor, rule_id: int, expected_version: int, draft: RuleDraft,
                      known_destinations=None, now: datetime | None = None) -> SavedRule:
    permitted(actor, PERMISSION)
    rule_id = validate_id(rule_id, field="rule_id")
    expected_version = _expected(expected_version)
    values = validate_draft(engine, draft, known_destinations)
    return _change(engine, actor, rule_id, expected_version, values, "alert_rule.update", now)


def set_alert_rule_enabled(engine, *, actor: Actor, rule_id: int, expected_version: int, enabled: bool,
                           now: datetime | None = None) -> SavedRule:
    permitted(actor, PERMISSION)
    rule_id = validate_id(rule_id, field="rule_id")
    expected_version = _expected(expected_version)
    return _change(engine, actor, rule_id, expected_version, {"enabled": bool(enabled)},
                   "alert_rule.enable" if enabled else "alert_rule.disable", now)


def _change(engine, actor, rule_id, expected_version, values, action, now) -> SavedRule:
    at = moment(now)
    try:
        with transaction(engine) as connection:
            row = connection.execute(select(rules).where(rules.c.id == rule_id)).first()
            if row is None:
                raise NotFound("alerts.v.gone", id=rule_id)
            before = _definition(row)
            after = _audited({**{name: getattr(row, name) for name in DEFINITION}, **values})
            if after == before:     # already as asked (a second click, or nothing edited)
                return SavedRule(row.id, row.version, row.name)
            changed = connection.execute(
                update(rules).where(rules.c.id == rule_id, rules.c.version == expected_version)
                .values(**(_stored(values) if "destinations" in values else values),
                        version=expected_version + 1, updated_by=actor.username, updated_at=at)).rowcount
            if changed != 1:
                raise Lost()
            audit.record(connection, actor=actor, permission=PERMISSION, action=action,
                         entity="console_alert_rules", entity_id=rule_id,
                         before={k: v for k, v in before.items() if after.get(k) != v},
                         after={k: v for k, v in after.items() if before.get(k) != v}, at=at)
    except Lost:
        raise _conflict(engine, rule_id, expected_version) from None
    except IntegrityError:
        raise Conflict("alerts.v.name_taken", name=values.get("name", "")) from None
    return SavedRule(rule_id, expected_version + 1, after["name"])


def delete_alert_rule(engine, *, actor: Actor, rule_id: int, expected_version: int,
                      now: datetime | None = None) -> bool:
    """Delete the rule and its state. False: it was already gone (a second click)."""
    permitted(actor, PERMISSION)
    rule_id = validate_id(rule_id, field="rule_id")
    expected_version = _expected(expected_version)
    at = moment(now)
    try:
        with transaction(engine) as connection:
            row = connection.execute(select(rules).where(rules.c.id == rule_id)).first()
            if row is None:
                gone = connection.execute(select(console_audit_log.c.id).where(
                    console_audit_log.c.entity == "console_alert_rules",
                    console_audit_log.c.entity_id == rule_id,
                    console_audit_log.c.action == "alert_rule.delete")).first()
                if gone is None:
                    raise NotFound("alerts.v.gone", id=rule_id)
                return False
            connection.execute(delete(states).where(states.c.rule_id == rule_id))
            if connection.execute(delete(rules).where(rules.c.id == rule_id,
                                                      rules.c.version == expected_version)).rowcount != 1:
                raise Lost()
            audit.record(connection, actor=actor, permission=PERMISSION, action="alert_rule.delete",
                         entity="console_alert_rules", entity_id=rule_id, before=_definition(row),
                         after=None, at=at)
    except Lost:
        raise _conflict(engine, rule_id, expected_version) from None
    return True


__all__ = ["RuleDraft", "SavedRule", "create_alert_rule", "update_alert_rule", "set_alert_rule_enabled",
           "delete_alert_rule", "validate_draft"]
