"""KPI 4, member retention by joining-month cohort, and joins against leaves.

Cohorts: the months of `joined_at` that overlap the date range; members are
those who joined in the month and by as-of; a cohort without such a member
has no row. For k = 0..11 (k = 0: the joining month):
- retained[k]: share still a member when month k ends (`left_at` NULL, or at
  or after 00:00 of month k+1's first day);
- active[k]: share with at least one order created in month k and not
  cancelled by as-of, in any community;
- None when month k has not ended by as-of (its next month's first moment is
  later than as-of).

Filters: `city_ids` selects members by their community's city; the brand,
service-type and source filters do not apply (a member's activity is any
order). The optional `channel` selects members by joining channel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select

from lib.db import schema as s
from lib.db.schema import MEMBER_CHANNELS
from lib.errors import ValidationFailed
from lib.kpi.common import (Bind, as_int, community_ids_in_cities, connect, not_cancelled,
                            orders)
from lib.kpi.filters import KpiFilters
from lib.kpi.sql import integer, moment, month_of, month_start, months_after

MONTHS = 12
members = s.members


@dataclass(frozen=True)
class Cohort:
    cohort: str                       # 'YYYY-MM'
    members: int
    retained_counts: list = field(default_factory=list)  # k = 0..11, None: not ended
    active_counts: list = field(default_factory=list)

    @property
    def retained(self) -> list[float | None]:
        return [None if n is None else n / self.members for n in self.retained_counts]

    @property
    def active(self) -> list[float | None]:
        return [None if n is None else n / self.members for n in self.active_counts]


def add_months(day: date, months: int) -> datetime:
    """00:00 of the first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1)


def cohort_months(filters: KpiFilters) -> list[datetime]:
    """First moments of the months that overlap the range."""
    first, months = add_months(filters.start, 0), []
    while first.date() <= filters.end:
        months.append(first)
        first = add_months(first.date(), 1)
    return months


def _member_scope(filters: KpiFilters, channel: str | None) -> list:
    clauses = []
    if filters.city_ids:
        clauses.append(members.c.community_id.in_(community_ids_in_cities(filters.city_ids)))
    if channel is not None:
        if channel not in MEMBER_CHANNELS:
            raise ValidationFailed("kpi.unknown_value", field="channel", value=channel)
        clauses.append(members.c.channel == channel)
    return clauses


def retention_cohorts(bind: Bind, filters: KpiFilters, *,
                      channel: str | None = None) -> list[Cohort]:
    """One `Cohort` per joining month overlapping the range that has members, by month.

    Two statements for all cohorts at once (not two per cohort): the members per
    cohort and leaving month, and the active members per cohort and order month,
    driven from the members (joined-at index) to each member's orders of its first
    twelve months (member/created index), `count(DISTINCT member)` per pair."""
    months = cohort_months(filters)
    if not months:
        return []
    joined_upper = min(add_months(months[-1].date(), 1), filters.as_of_next)
    # Month k has ended when its end (the next month's first moment) is at or before
    # as-of; month ends are month starts, so: at or before as-of's month's start.
    boundary = add_months(filters.as_of.date(), 0)
    joined = [members.c.joined_at >= moment(months[0]),
              members.c.joined_at < moment(joined_upper), *_member_scope(filters, channel)]
    cohort = month_of(members.c.joined_at).label("cohort")
    left = month_of(members.c.left_at).label("left")
    sizes = (select(cohort, left, func.count().label("n")).where(*joined)
             .group_by(cohort.element, left.element))
    month = month_of(orders.c.created_at).label("month")
    active = (select(cohort, month, func.count(func.distinct(orders.c.member_id)).label("n"))
              .select_from(members.join(orders, orders.c.member_id == members.c.id))
              .where(*joined, orders.c.created_at >= month_start(members.c.joined_at),
                     orders.c.created_at < months_after(members.c.joined_at, integer(MONTHS)),
                     orders.c.created_at < moment(boundary), not_cancelled(filters))
              .group_by(cohort.element, month.element))
    leaving: dict[str, dict] = {}
    counts: dict[tuple, int] = {}
    with connect(bind) as connection:
        for r in connection.execute(sizes):
            leaving.setdefault(r.cohort, {})[r.left] = as_int(r.n)
        if leaving and boundary > months[0]:
            counts = {(r.cohort, r.month): as_int(r.n) for r in connection.execute(active)}
    cohorts = []
    for start in months:
        label = start.strftime("%Y-%m")
        if label not in leaving:
            continue
        size = sum(leaving[label].values())
        retained, active_counts = [None] * MONTHS, [None] * MONTHS
        for k in range(MONTHS):
            end = add_months(start.date(), k + 1)
            if end > filters.as_of:
                continue
            ended_by = end.strftime("%Y-%m")   # left before `end`: in an earlier month
            retained[k] = size - sum(n for m, n in leaving[label].items()
                                     if m is not None and m < ended_by)
            active_counts[k] = counts.get((label, add_months(start.date(), k).strftime("%Y-%m")), 0)
        cohorts.append(Cohort(label, size, retained, active_counts))
    return cohorts


def retention_matrix(bind: Bind, filters: KpiFilters, *, measure: str = "retained",
                     channel: str | None = None) -> pd.DataFrame:
    """Cohorts as rows (index 'YYYY-MM'), columns members and 0..11: the `measure`
    ('retained' or 'active') shares, NaN where the month has not ended."""
    if measure not in ("retained", "active"):
        raise ValidationFailed("kpi.bad_dimension", dimension=measure)
    rows = [[c.cohort, c.members, *getattr(c, measure)]
            for c in retention_cohorts(bind, filters, channel=channel)]
    frame = pd.DataFrame(rows, columns=["cohort", "members", *range(MONTHS)])
    return frame.set_index("cohort")


def joins_and_leaves(bind: Bind, filters: KpiFilters) -> pd.DataFrame:
    """month, channel (joining channel), joins, leaves: members who joined / left in the
    range (and by as-of; leaving exactly at as-of counts), by month; pairs that occur."""
    upper = moment(min(filters.range_end, filters.as_of_next))
    scope = _member_scope(filters, None)
    queries = {}
    for name, column in (("joins", members.c.joined_at), ("leaves", members.c.left_at)):
        month = month_of(column).label("month")
        queries[name] = (select(month, members.c.channel, func.count().label("n"))
                         .where(column >= moment(filters.range_start), column < upper, *scope)
                         .group_by(month.element, members.c.channel))
    counts: dict = {}
    with connect(bind) as connection:
        for name, query in queries.items():
            for r in connection.execute(query):
                counts.setdefault((r.month, r.channel), {"joins": 0, "leaves": 0})[name] = as_int(r.n)
    return pd.DataFrame([(m, c, v["joins"], v["leaves"]) for (m, c), v in sorted(counts.items())],
                        columns=["month", "channel", "joins", "leaves"])
