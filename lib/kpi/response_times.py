"""Response and repair times (issue 16), beside the SPEC KPIs.

Three durations per order, in seconds:
- dispatch: dispatched_at - created_at (time to dispatch);
- arrive:   arrived_at - dispatched_at (time from dispatch to the engineer's arrival);
- on_site:  completed_at - arrived_at (time on site).

Orders counted: created in the range (and by as-of), not cancelled by as-of, both
moments of the duration set and at or before as-of; the order filters apply (city
by the order's community). Grouped by city, service type, or both.

Percentiles are computed in the database the same way on SQLite, PostgreSQL and
MariaDB (SQLite has no percentile function, MariaDB's PERCENTILE_CONT is a window
function only): the durations of a group are numbered with
`ROW_NUMBER() OVER (PARTITION BY group ORDER BY duration)` and counted with
`COUNT(*) OVER (PARTITION BY group)`; the p-th percentile is the *nearest-rank*
value, the smallest duration whose rank r satisfies r >= p * n, written in
integers as `MIN(CASE WHEN 2 * r >= n THEN d END)` for the median and
`10 * r >= 9 * n` for the 90th percentile. (Nearest rank returns a value that
occurred; it is not interpolated.)
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import case, func, select

from lib.db import schema as s
from lib.errors import ValidationFailed
from lib.kpi.common import Bind, connect, created_in_range, happened, not_cancelled, order_scope, orders
from lib.kpi.filters import KpiFilters
from lib.kpi.sql import integer, seconds_between

MEASURES = {"dispatch": ("created_at", "dispatched_at"), "arrive": ("dispatched_at", "arrived_at"),
            "on_site": ("arrived_at", "completed_at")}
GROUPS = ("city", "service_type")
COLUMNS = ["orders", "median_s", "p90_s"]


def _group_columns(by: tuple[str, ...]) -> list:
    out = []
    for name in by:
        if name == "city":
            out += [s.cities.c.id.label("city_id"), s.cities.c.name.label("city")]
        elif name == "service_type":
            out.append(orders.c.service_type.label("service_type"))
        else:
            raise ValidationFailed("kpi.unknown_value", field="by", value=name)
    return out


def response_times(bind: Bind, filters: KpiFilters, *, measure: str,
                   by: tuple[str, ...] = ("city",)) -> pd.DataFrame:
    """Group columns (city_id, city / service_type), orders, median_s, p90_s (whole
    seconds, nearest rank); one row per group with at least one duration, sorted by group."""
    if measure not in MEASURES:
        raise ValidationFailed("kpi.unknown_value", field="measure", value=measure)
    start_col, end_col = (orders.c[name] for name in MEASURES[measure])
    f = filters
    groups = _group_columns(tuple(by))
    duration = seconds_between(start_col, end_col).label("d")
    inner = (select(*groups, duration)
             .select_from(orders.join(s.communities, s.communities.c.id == orders.c.community_id)
                          .join(s.cities, s.cities.c.id == s.communities.c.city_id))
             .where(created_in_range(f), not_cancelled(f), *order_scope(f),
                    happened(start_col, f), happened(end_col, f))
             .subquery())
    keys = [inner.c[g.name] for g in groups]
    partition = [inner.c[g.name] for g in groups if g.name != "city"]  # city name follows city_id
    ranked = select(*keys, inner.c.d,
                    func.row_number().over(partition_by=partition, order_by=inner.c.d).label("r"),
                    func.count().over(partition_by=partition).label("n")).subquery()
    r, n, d = ranked.c.r, ranked.c.n, ranked.c.d
    rkeys = [ranked.c[g.name] for g in groups]
    query = (select(*rkeys, func.max(n).label("orders"),
                    func.min(case((r * integer(2) >= n, d))).label("median_s"),
                    func.min(case((r * integer(10) >= n * integer(9), d))).label("p90_s"))
             .group_by(*rkeys).order_by(*rkeys))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=[g.name for g in groups] + COLUMNS)
    return frame.astype({"orders": int, "median_s": "Int64", "p90_s": "Int64"})
