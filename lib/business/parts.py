"""Parts feedback to brands: which parts each brand's orders consumed, per quarter.

Filters: the date range is on the order's `completed_at` (parts are consumed
when the work is done); only orders created and completed by as-of and not
cancelled by as-of count (an order created later does not exist yet). Cities (the order's community's city), brands, service types
and sources apply. `cost_fen` is the cost of the row (all its `qty`).

`per_100_orders`: quantity per 100 orders of that brand completed in that
quarter (same filters). Quarter on quarter compares each part's quantity with
the brand's previous quarter, which is read even when it lies before the
range's start, so the first quarter of the range has a change too. Quarters
are calendar quarters; the first and last may be cut by the range.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select

from lib.business.sql import previous_quarter, quarter_of
from lib.db import schema as s
from lib.kpi.common import Bind, as_int, completed, connect, exists_at, not_cancelled, order_scope, orders, ratio
from lib.kpi.filters import KpiFilters
from lib.kpi.sql import moment

COLUMNS = ["brand_id", "brand", "quarter", "rank", "part_name", "qty", "cost_fen", "brand_orders",
           "per_100_orders", "previous_qty", "qty_change", "qty_change_ratio"]


def _quarter_start(day: date) -> datetime:
    return datetime(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _where(f: KpiFilters, start: datetime) -> list:
    upper = min(f.range_end, f.as_of_next)
    return [orders.c.completed_at >= moment(start), orders.c.completed_at < moment(upper),
            completed(f), not_cancelled(f), exists_at(f), *order_scope(f)]


def parts_by_brand_quarter(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """One row per (brand, quarter of the range, part): columns COLUMNS, sorted by
    brand name, quarter, rank (1 = most consumed by quantity, ties by cost then name).
    `previous_qty` is 0 when the part was not used the quarter before;
    `qty_change_ratio` is None then."""
    first = _quarter_start(f.start)
    earliest = _quarter_start(date(first.year - (first.month == 1), (first.month - 4) % 12 + 1, 1))
    quarter = quarter_of(orders.c.completed_at)
    p = s.parts_used
    parts_query = (select(orders.c.brand_id, quarter.label("quarter"), p.c.part_name,
                          func.sum(p.c.qty).label("qty"), func.sum(p.c.cost_fen).label("cost"))
                   .select_from(p.join(orders, orders.c.id == p.c.order_id))
                   .where(*_where(f, earliest))
                   .group_by(orders.c.brand_id, quarter, p.c.part_name))
    orders_query = (select(orders.c.brand_id, quarter.label("quarter"), func.count().label("n"))
                    .where(*_where(f, earliest)).group_by(orders.c.brand_id, quarter))
    names_query = select(s.brands.c.id, s.brands.c.name)
    with connect(bind) as connection:
        parts = connection.execute(parts_query).all()
        counts = {(r.brand_id, r.quarter): as_int(r.n) for r in connection.execute(orders_query)}
        names = dict(connection.execute(names_query).all())
    used = {(r.brand_id, r.quarter, r.part_name): (as_int(r.qty), as_int(r.cost)) for r in parts}
    first_quarter = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    rows = []
    for (brand, quarter_, part), (qty, cost) in used.items():
        if quarter_ < first_quarter:
            continue
        brand_orders = counts.get((brand, quarter_), 0)
        previous = used.get((brand, previous_quarter(quarter_), part), (0, 0))[0]
        rows.append([brand, names.get(brand, str(brand)), quarter_, 0, part, qty, cost, brand_orders,
                     100 * qty / brand_orders if brand_orders else None, previous, qty - previous,
                     ratio(qty - previous, previous)])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    frame = frame.sort_values(["brand", "quarter", "qty", "cost_fen", "part_name"],
                              ascending=[True, True, False, False, True])
    frame["rank"] = frame.groupby(["brand_id", "quarter"]).cumcount() + 1
    return frame.reset_index(drop=True)


def top_parts(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` most consumed parts of each brand and quarter."""
    return frame[frame["rank"] <= n].reset_index(drop=True) if len(frame) else frame


__all__ = ["COLUMNS", "parts_by_brand_quarter", "top_parts"]
