"""KPI 2, the 24-hour install promise (SLA).

Eligible: `install` orders created in the range (and by as-of), not cancelled
by as-of, whose city's `sla_24h_since` is set and on or before the creation
date. Due: 00:00 of the creation day plus the before-cut-off offset when
created before the cut-off hour (default: 00:00 next day), else the
after-cut-off offset (default: 12:00 next day).

- met: completed by as-of, at or before due;
- breached: completed by as-of after due, or not completed by as-of while
  as-of is past due (strictly: an open order due exactly at as-of is pending);
- pending: the rest. Compliance = met / (met + breached), None on zero.

Filters: city (the order's community's city), brand and source apply; a
service-type filter without `install` leaves nothing eligible.
"""
from __future__ import annotations

from types import SimpleNamespace

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, false, func, not_, select

from lib.db import schema as s
from lib.errors import ValidationFailed
from lib.kpi.common import (Bind, as_int, completed, connect, count_if, created_in_range,
                            not_cancelled, order_scope, orders, ratio)
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sql import add_seconds, date_of, day_start, hour_of, integer, moment, \
    seconds_between, unindexed, week_of

AT_RISK_BANDS = ("under_half", "half_to_three_quarters", "past_three_quarters", "overdue")


@dataclass(frozen=True)
class SlaSummary:
    eligible: int
    met: int
    breached: int
    pending: int
    compliance: float | None  # met / (met + breached)


def _before_cutoff(st: KpiSettings):
    return hour_of(orders.c.created_at) < integer(st.sla_cutoff_hour)


def due_at(st: KpiSettings, plus_seconds: int = 0):
    """The due moment of each order (plus `plus_seconds`), as SQL."""
    offset = case((_before_cutoff(st), integer(st.due_offset_seconds(True) + plus_seconds)),
                  else_=integer(st.due_offset_seconds(False) + plus_seconds))
    return add_seconds(day_start(orders.c.created_at), offset)


def _source(brands: bool = False):
    # unindexed(): SQLite would otherwise drive the join from cities through the
    # community index and read every order in range; installs first is ~2.5x faster.
    source = orders.join(s.communities, s.communities.c.id == unindexed(orders.c.community_id)) \
        .join(s.cities, s.cities.c.id == s.communities.c.city_id)
    return source.join(s.brands, s.brands.c.id == orders.c.brand_id) if brands else source


def _eligible(f: KpiFilters, engineer_id: int | None = None) -> list:
    clauses = [created_in_range(f), orders.c.service_type == "install", not_cancelled(f),
               s.cities.c.sla_24h_since.isnot(None),
               s.cities.c.sla_24h_since <= date_of(orders.c.created_at),
               *order_scope(f, service_types=False)]
    if f.service_types and "install" not in f.service_types:
        clauses.append(false())
    if engineer_id is not None:
        clauses.append(orders.c.engineer_id == engineer_id)
    return clauses


def _states(f: KpiFilters, st: KpiSettings) -> dict:
    done = completed(f)
    met = and_(done, orders.c.completed_at < due_at(st, plus_seconds=1))
    late = and_(done, orders.c.completed_at >= due_at(st, plus_seconds=1))
    overdue = and_(not_(done), due_at(st) < moment(f.as_of))
    return {"met": met, "breached": late | overdue,
            "pending": and_(not_(done), due_at(st) >= moment(f.as_of))}


def _count_columns(f: KpiFilters, st: KpiSettings) -> list:
    return [func.count().label("eligible")] + [
        count_if(condition).label(name) for name, condition in _states(f, st).items()]


def _summary(row) -> SlaSummary:
    met, breached = as_int(row.met), as_int(row.breached)
    return SlaSummary(as_int(row.eligible), met, breached, as_int(row.pending),
                      ratio(met, met + breached))


def _frame(rows, keys: list[str]) -> pd.DataFrame:
    data = []
    for row in rows:
        summary = _summary(row)
        data.append([*row[:len(keys)], summary.eligible, summary.met, summary.breached,
                     summary.pending, summary.compliance])
    return pd.DataFrame(data, columns=keys + ["eligible", "met", "breached", "pending",
                                              "compliance"])


def sla_summary(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None, *,
                engineer_id: int | None = None) -> SlaSummary:
    """Eligible, met, breached and pending orders created in the range; compliance.
    With `engineer_id`: only that engineer's orders."""
    st = settings or KpiSettings()
    query = (select(*_count_columns(filters, st)).select_from(_source())
             .where(*_eligible(filters, engineer_id)))
    with connect(bind) as connection:
        return _summary(connection.execute(query).one())


def due_span_days(st: KpiSettings) -> int:
    """How many days before its due day an order can have been created."""
    return max(st.sla_due_before_cutoff[0], st.sla_due_after_cutoff[0]) + 1


def sla_due_since(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None, *,
                  due_from: datetime) -> SlaSummary:
    """The promise over a moving window (alert rules): eligible installs whose due moment
    lies from `due_from` to as-of, both included, met / breached / pending as of as-of.
    The date range of `filters` is not used (creation is bounded by the due window);
    their city, brand and source are."""
    st = settings or KpiSettings()
    f = filters.replace(start=(due_from - timedelta(days=due_span_days(st))).date(),
                        end=filters.as_of.date())
    query = (select(*_count_columns(f, st)).select_from(_source())
             .where(*_eligible(f), due_at(st) >= moment(due_from), due_at(st) < moment(f.as_of_next)))
    with connect(bind) as connection:
        return _summary(connection.execute(query).one())


def summary_of(grouped: pd.DataFrame) -> SlaSummary:
    """The summary of grouped rows (e.g. `sla_by_city`), so a caller that has
    them does not count the same orders twice."""
    totals = grouped[["eligible", "met", "breached", "pending"]].sum()
    return _summary(SimpleNamespace(**{name: int(value) for name, value in totals.items()}))


def _grouped(bind: Bind, filters: KpiFilters, st: KpiSettings, keys: list, *,
             brands: bool = False) -> pd.DataFrame:
    query = (select(*keys, *_count_columns(filters, st)).select_from(_source(brands))
             .where(*_eligible(filters))
             .group_by(*[k.element for k in keys]).order_by(*[k.element for k in keys]))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return _frame(rows, [k.name for k in keys])


def sla_by_city(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None) -> pd.DataFrame:
    """city_id, city, eligible, met, breached, pending, compliance: cities with eligible orders."""
    return _grouped(bind, filters, settings or KpiSettings(),
                    [s.cities.c.id.label("city_id"), s.cities.c.name.label("city")])


def sla_by_brand(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None) -> pd.DataFrame:
    """brand_id, brand (name), eligible, met, breached, pending, compliance, by brand id."""
    return _grouped(bind, filters, settings or KpiSettings(),
                    [s.brands.c.id.label("brand_id"), s.brands.c.name.label("brand")], brands=True)


def sla_by_cutoff(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None) -> pd.DataFrame:
    """before_cutoff (True: created before the cut-off hour), eligible, met, ... compliance."""
    st = settings or KpiSettings()
    key = case((_before_cutoff(st), integer(1)), else_=integer(0)).label("before_cutoff")
    frame = _grouped(bind, filters, st, [key])
    frame["before_cutoff"] = frame["before_cutoff"].astype(int).astype(bool)
    return frame


def sla_over_time(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None, *,
                  grain: str = "day") -> pd.DataFrame:
    """period (creation date, or Monday of the ISO week), eligible, met, ... compliance.

    Only periods with eligible orders are listed.
    """
    if grain not in ("day", "week"):
        raise ValidationFailed("kpi.bad_grain", grain=grain)
    period = (date_of if grain == "day" else week_of)(orders.c.created_at).label("period")
    return _grouped(bind, filters, settings or KpiSettings(), [period])


def sla_at_risk(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None) -> pd.DataFrame:
    """Open eligible installs at as-of (not completed), banded by the share of the time
    from creation to due that has elapsed: under_half (< 1/2), half_to_three_quarters
    (1/2 to < 3/4), past_three_quarters (3/4 up to and including due), overdue (as-of
    past due). Columns band, orders; all four bands, zeros included. The date range
    still limits creation; use a wide range for "everything open now".
    """
    st = settings or KpiSettings()
    now = moment(filters.as_of)
    elapsed = seconds_between(orders.c.created_at, now)
    span = seconds_between(orders.c.created_at, due_at(st))
    band = case(
        (due_at(st) < now, integer(3)),
        (elapsed * 4 >= span * 3, integer(2)),
        (elapsed * 2 >= span, integer(1)),
        else_=integer(0)).label("band")
    query = (select(band, func.count().label("orders")).select_from(_source())
             .where(*_eligible(filters), not_(completed(filters)))
             .group_by(band.element))
    with connect(bind) as connection:
        counts = {int(r.band): int(r.orders) for r in connection.execute(query)}
    return pd.DataFrame([(name, counts.get(i, 0)) for i, name in enumerate(AT_RISK_BANDS)],
                        columns=["band", "orders"])


def sla_breaches(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None, *,
                 limit: int = 100) -> pd.DataFrame:
    """Breached orders, latest due first, at most `limit`: order_id, city_id, city,
    created_at, due_at, completed_at (None while still open). No personal data."""
    st = settings or KpiSettings()
    breached = _states(filters, st)["breached"]
    completed_at = case((completed(filters), orders.c.completed_at), else_=None)
    query = (select(orders.c.id.label("order_id"), s.cities.c.id.label("city_id"),
                    s.cities.c.name.label("city"), orders.c.created_at,
                    due_at(st).label("due_at"), completed_at.label("completed_at"))
             .select_from(_source()).where(*_eligible(filters), breached)
             .order_by(orders.c.created_at.desc(), orders.c.id.desc()).limit(int(limit)))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["order_id", "city_id", "city", "created_at", "due_at",
                                 "completed_at"])


def due_moment(created_at: datetime, settings: KpiSettings | None = None) -> datetime:
    """The due moment of one order, in Python (for display and tests)."""
    st = settings or KpiSettings()
    start = datetime.combine(created_at.date(), datetime.min.time())
    return start + timedelta(seconds=st.due_offset_seconds(created_at.hour < st.sla_cutoff_hour))
