"""Warranties: appliances by warranty type, coverage running out soon, repairs under warranty.

Appliances exist once bought by as-of (`purchased_at`); cities filter by the
owner's community's city, brands by the appliance's brand. A warranty covers
through `warranty_until` (a date, that day included): *active* at as-of when
`warranty_until` is on or after as-of's date. Extended warranties are sold with
new machines, full ones for old machines.

Repairs under warranty: non-cancelled `repair` orders created in the range
(the usual order filters, except service type) whose appliance's
`warranty_until` is on or after the order's creation date.
"""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import and_, func, select

from lib.db import schema as s
from lib.db.schema import WARRANTIES
from lib.kpi.common import (Bind, as_int, community_ids_in_cities, connect, count_if, created_in_range,
                            not_cancelled, order_scope, orders, ratio)
from lib.kpi.filters import KpiFilters
from lib.kpi.orders import periods
from lib.kpi.sql import date_of, moment, month_of

EXPIRY_DAYS = 90
a, m = s.appliances, s.members


def _appliance_where(f: KpiFilters) -> list:
    clauses = [a.c.purchased_at < moment(f.as_of_next)]
    if f.city_ids:
        clauses.append(m.c.community_id.in_(community_ids_in_cities(f.city_ids)))
    if f.brand_ids:
        clauses.append(a.c.brand_id.in_(f.brand_ids))
    return clauses


def appliances_by_warranty(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """warranty, category, appliances, active (covered at as-of); the pairs that occur,
    warranty in the order none, standard, extended, full."""
    today = f.as_of.date()
    query = (select(a.c.warranty, a.c.category, func.count().label("n"),
                    count_if(and_(a.c.warranty_until.isnot(None), a.c.warranty_until >= today))
                    .label("active"))
             .select_from(a.join(m, m.c.id == a.c.member_id)).where(*_appliance_where(f))
             .group_by(a.c.warranty, a.c.category))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([(r.warranty, r.category, as_int(r.n), as_int(r.active)) for r in rows],
                         columns=["warranty", "category", "appliances", "active"])
    order = {w: i for i, w in enumerate(WARRANTIES)}
    return frame.sort_values(["warranty", "category"], key=lambda c: c.map(order) if c.name == "warranty"
                             else c).reset_index(drop=True)


def expiring_by_community(bind: Bind, f: KpiFilters, days: int = EXPIRY_DAYS) -> pd.DataFrame:
    """Communities with coverage ending in the next `days` days (warranty_until from
    as-of's date to as-of's date + days, both included): community_id, community,
    city, standard, extended, full, total; most first (ties by id)."""
    today = f.as_of.date()
    c, ci = s.communities, s.cities
    covered = [w for w in WARRANTIES if w != "none"]
    query = (select(c.c.id, c.c.name, ci.c.name.label("city"),
                    *[count_if(a.c.warranty == w).label(w) for w in covered])
             .select_from(a.join(m, m.c.id == a.c.member_id).join(c, c.c.id == m.c.community_id)
                          .join(ci, ci.c.id == c.c.city_id))
             .where(*_appliance_where(f), a.c.warranty.in_(covered), a.c.warranty_until >= today,
                    a.c.warranty_until <= today + timedelta(days=int(days)))
             .group_by(c.c.id, c.c.name, ci.c.name))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([(r.id, r.name, r.city, *[as_int(getattr(r, w)) for w in covered]) for r in rows],
                         columns=["community_id", "community", "city", *covered])
    frame["total"] = frame[covered].sum(axis=1) if len(frame) else []
    return frame.sort_values(["total", "community_id"], ascending=[False, True]).reset_index(drop=True)


def _repair_where(f: KpiFilters) -> list:
    return [orders.c.service_type == "repair", created_in_range(f), not_cancelled(f),
            *order_scope(f, service_types=False)]


def _under_warranty():
    return and_(a.c.warranty_until.isnot(None), a.c.warranty_until >= date_of(orders.c.created_at))


def repairs_by_month(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """Every month of the range: month, repairs, under_warranty, share (None without repairs).
    Repairs without an appliance are counted as not under warranty."""
    month = month_of(orders.c.created_at)
    query = (select(month.label("month"), func.count().label("n"),
                    count_if(_under_warranty()).label("covered"))
             .select_from(orders.outerjoin(a, a.c.id == orders.c.appliance_id))
             .where(*_repair_where(f)).group_by(month))
    with connect(bind) as connection:
        found = {r.month: (as_int(r.n), as_int(r.covered)) for r in connection.execute(query)}
    rows = [(p, *found.get(p, (0, 0))) for p in periods(f, "month")]
    frame = pd.DataFrame(rows, columns=["month", "repairs", "under_warranty"])
    frame["share"] = [ratio(u, n) for n, u in zip(frame["repairs"], frame["under_warranty"])]
    return frame


def repairs_by_warranty(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """warranty (the appliance's type; 'unknown' without an appliance), repairs, under_warranty."""
    query = (select(a.c.warranty, func.count().label("n"), count_if(_under_warranty()).label("covered"))
             .select_from(orders.outerjoin(a, a.c.id == orders.c.appliance_id))
             .where(*_repair_where(f)).group_by(a.c.warranty))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([(r.warranty or "unknown", as_int(r.n), as_int(r.covered)) for r in rows],
                         columns=["warranty", "repairs", "under_warranty"])
    order = {w: i for i, w in enumerate((*WARRANTIES, "unknown"))}
    return frame.sort_values("warranty", key=lambda c: c.map(order)).reset_index(drop=True)


__all__ = ["EXPIRY_DAYS", "appliances_by_warranty", "expiring_by_community", "repairs_by_month",
           "repairs_by_warranty"]
