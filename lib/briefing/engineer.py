"""One engineer's star level month by month (the engineer page, issue 16).

For each month of the range, the level KPI 3 gives at that month's end (or at
as-of for a month not yet over): ratings in the window before that moment, of
orders not cancelled by then. One query: a conditional count and star sum per
month end, over the engineer's ratings (read through the engineer's orders).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, or_, select, func

from lib.db import schema as s
from lib.kpi.common import Bind, as_int, connect, count_if, orders
from lib.kpi.engineers import star_level
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sql import integer, moment

MAX_MONTHS = 24


def month_ends(start: date, end: date, as_of: datetime) -> list[tuple[str, datetime]]:
    """('YYYY-MM', the moment the level is read) for each month from start to end;
    the last second of the month, or as-of if that is earlier. At most 24 (the latest)."""
    out, month = [], date(start.year, start.month, 1)
    while month <= end:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        moment_ = min(datetime.combine(following, datetime.min.time()) - timedelta(seconds=1), as_of)
        if month <= as_of.date():
            out.append((month.strftime("%Y-%m"), moment_))
        month = following
    return out[-MAX_MONTHS:]


def engineer_star_months(bind: Bind, engineer_id: int, filters: KpiFilters,
                         settings: KpiSettings | None = None) -> pd.DataFrame:
    """month, ratings (in the window ending then), avg_stars, level (Int64, <NA>: unrated)."""
    st = settings or KpiSettings()
    ends = month_ends(filters.start, filters.end, filters.as_of)
    if not ends:
        return pd.DataFrame(columns=["month", "ratings", "avg_stars", "level"])
    r = s.ratings
    columns = []
    for index, (_, at) in enumerate(ends):
        upper = moment(at + timedelta(seconds=1))
        inside = and_(r.c.rated_at >= moment(at - timedelta(days=st.star_window_days)), r.c.rated_at < upper,
                      or_(orders.c.cancelled_at.is_(None), orders.c.cancelled_at >= upper))
        columns += [count_if(inside).label(f"n{index}"),
                    func.sum(case((inside, r.c.stars), else_=integer(0))).label(f"s{index}")]
    first = ends[0][1] - timedelta(days=st.star_window_days)
    query = (select(*columns).select_from(r.join(orders, orders.c.id == r.c.order_id))
             .where(orders.c.engineer_id == int(engineer_id), r.c.rated_at >= moment(first),
                    r.c.rated_at < moment(ends[-1][1] + timedelta(seconds=1))))
    with connect(bind) as connection:
        row = connection.execute(query).one()
    data = []
    for index, (month, _) in enumerate(ends):
        n, total = as_int(row[2 * index]), as_int(row[2 * index + 1])
        data.append((month, n, total / n if n else None, star_level(n, total, st)))
    frame = pd.DataFrame(data, columns=["month", "ratings", "avg_stars", "level"])
    frame["avg_stars"] = frame["avg_stars"].astype(float)
    frame["level"] = frame["level"].astype("Int64")
    return frame
