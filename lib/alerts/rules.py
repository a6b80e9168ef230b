"""Reading alert rules with their state (the Alert rules page, the evaluator)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select

from lib.alerts.decide import State
from lib.db.schema import brands, cities, console_alert_rules as rules, console_alert_state as states
from lib.kpi.common import Bind, connect
from lib.roles import Actor, require

PERMISSION = "alerts.edit"


@dataclass(frozen=True)
class AlertRule:
    id: int
    name: str
    kpi: str
    city_id: int | None
    city: str | None
    brand_id: int | None
    brand: str | None
    comparison: str
    threshold: float
    window_hours: int
    destinations: tuple[str, ...]
    repeat_minutes: int
    quiet_start: time | None
    quiet_end: time | None
    enabled: bool
    version: int
    updated_by: str
    updated_at: datetime
    state: State
    seq: int | None           # the state's claim counter; None: no state row yet
    last_value: float | None
    evaluated_at: datetime | None


def split_names(text: str | None) -> tuple[str, ...]:
    return tuple(n for n in (text or "").split(",") if n)


def _query():
    return (select(rules, cities.c.name.label("city"), brands.c.name.label("brand"),
                   states.c.firing, states.c.firing_since, states.c.last_sent_at, states.c.last_value,
                   states.c.evaluated_at, states.c.seq)
            .select_from(rules.outerjoin(cities, cities.c.id == rules.c.city_id)
                         .outerjoin(brands, brands.c.id == rules.c.brand_id)
                         .outerjoin(states, states.c.rule_id == rules.c.id))
            .order_by(rules.c.id))


def _rule(row) -> AlertRule:
    return AlertRule(
        id=row.id, name=row.name, kpi=row.kpi, city_id=row.city_id, city=row.city, brand_id=row.brand_id,
        brand=row.brand, comparison=row.comparison, threshold=float(row.threshold),
        window_hours=int(row.window_hours), destinations=split_names(row.destinations),
        repeat_minutes=int(row.repeat_minutes), quiet_start=row.quiet_start, quiet_end=row.quiet_end,
        enabled=bool(row.enabled), version=int(row.version), updated_by=row.updated_by,
        updated_at=row.updated_at,
        state=State(bool(row.firing), row.firing_since, row.last_sent_at),
        seq=None if row.seq is None else int(row.seq), last_value=row.last_value,
        evaluated_at=row.evaluated_at)


def enabled_rules(bind: Bind) -> list[AlertRule]:
    """Every enabled rule with its state, by id (the evaluator)."""
    with connect(bind) as connection:
        return [_rule(r) for r in connection.execute(_query().where(rules.c.enabled.is_(True)))]


def list_alert_rules(bind: Bind, *, actor: Actor) -> list[AlertRule]:
    """Every rule with its state, by id (admins)."""
    require(actor, PERMISSION)
    with connect(bind) as connection:
        return [_rule(r) for r in connection.execute(_query())]


def alert_rule(bind: Bind, *, actor: Actor, rule_id: int) -> AlertRule | None:
    require(actor, PERMISSION)
    with connect(bind) as connection:
        row = connection.execute(_query().where(rules.c.id == rule_id)).first()
    return _rule(row) if row else None
