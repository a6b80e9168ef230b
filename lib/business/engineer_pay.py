"""Engineer pay: `payout_fen` of completed orders, by engineer and completion month.

Counted: orders with an engineer, created by as-of (rows created later do not
exist yet, whatever a wrong clock put in `completed_at`), completed in the date
range (on `completed_at`) and by as-of, not cancelled by as-of. Cities filter by the
engineer's own city; brands, service types and sources by the order. Money
stays in fen here; pages show yuan.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from lib.db import schema as s
from lib.kpi.common import Bind, as_int, completed, connect, exists_at, not_cancelled, order_scope, orders
from lib.kpi.filters import KpiFilters
from lib.kpi.orders import periods
from lib.kpi.sql import moment, month_of


def _where(f: KpiFilters) -> list:
    upper = min(f.range_end, f.as_of_next)
    clauses = [orders.c.engineer_id.isnot(None), orders.c.completed_at >= moment(f.range_start),
               orders.c.completed_at < moment(upper), completed(f), not_cancelled(f), exists_at(f),
               *order_scope(f, cities=False)]
    if f.city_ids:
        clauses.append(s.engineers.c.city_id.in_(f.city_ids))
    return clauses


def _source():
    return orders.join(s.engineers, s.engineers.c.id == orders.c.engineer_id)


def pay_by_engineer_month(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """(engineer, month) pairs with pay: engineer_id, engineer, month, orders, payout_fen,
    avg_payout_fen (per order); by month, then engineer_id."""
    e = s.engineers.c
    month = month_of(orders.c.completed_at)
    query = (select(e.id, e.name, month.label("month"), func.count().label("n"),
                    func.sum(orders.c.payout_fen).label("paid"))
             .select_from(_source()).where(*_where(f))
             .group_by(e.id, e.name, month).order_by(month, e.id))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([(r.id, r.name, r.month, as_int(r.n), as_int(r.paid)) for r in rows],
                         columns=["engineer_id", "engineer", "month", "orders", "payout_fen"])
    frame["avg_payout_fen"] = frame["payout_fen"] / frame["orders"] if len(frame) else []
    return frame


def pay_by_month(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """Every month of the range: month, orders, payout_fen, engineers (paid that month),
    avg_payout_fen (None without orders)."""
    month = month_of(orders.c.completed_at)
    query = (select(month.label("month"), func.count().label("n"),
                    func.sum(orders.c.payout_fen).label("paid"),
                    func.count(orders.c.engineer_id.distinct()).label("engineers"))
             .select_from(_source()).where(*_where(f)).group_by(month))
    with connect(bind) as connection:
        found = {r.month: r for r in connection.execute(query)}
    rows = []
    for m in periods(f, "month"):
        r = found.get(m)
        n, paid, people = (as_int(r.n), as_int(r.paid), as_int(r.engineers)) if r else (0, 0, 0)
        rows.append((m, n, paid, people, paid / n if n else None))
    return pd.DataFrame(rows, columns=["month", "orders", "payout_fen", "engineers", "avg_payout_fen"])


def pay_by_engineer(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """Engineers paid in the range: engineer_id, engineer, orders, payout_fen, avg_payout_fen;
    most paid first (ties by id)."""
    return totals_by_engineer(pay_by_engineer_month(bind, f))


def totals_by_engineer(frame: pd.DataFrame) -> pd.DataFrame:
    """`pay_by_engineer` from rows `pay_by_engineer_month` already returned (a page that
    has them does not query the orders twice)."""
    if frame.empty:
        return pd.DataFrame(columns=["engineer_id", "engineer", "orders", "payout_fen", "avg_payout_fen"])
    total = frame.groupby(["engineer_id", "engineer"], as_index=False)[["orders", "payout_fen"]].sum()
    total["avg_payout_fen"] = total["payout_fen"] / total["orders"]
    return total.sort_values(["payout_fen", "engineer_id"], ascending=[False, True]).reset_index(drop=True)


__all__ = ["pay_by_engineer_month", "pay_by_month", "pay_by_engineer", "totals_by_engineer"]
