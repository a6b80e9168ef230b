"""Own sales against partner brands: the share of orders handed over by partner
brands (source partner_brand) among own_sales + partner_brand orders.

Filters: the date range is on `created_at` (orders created by as-of); orders
cancelled by as-of are left out. Cities (the order's community's city), brands
and service types apply; the source filter does not (the two sources are the
measure). `partner_share` is None where a period or city has neither.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from lib.db import schema as s
from lib.kpi.common import (Bind, as_int, connect, count_if, created_in_range, not_cancelled,
                            order_scope, orders, ratio)
from lib.kpi.filters import KpiFilters
from lib.kpi.orders import periods
from lib.kpi.sql import month_of

MIX_SOURCES = ("own_sales", "partner_brand")


def _where(f: KpiFilters) -> list:
    return [created_in_range(f), not_cancelled(f), orders.c.source.in_(MIX_SOURCES),
            *order_scope(f, sources=False)]


def _counts() -> list:
    return [count_if(orders.c.source == "own_sales").label("own_sales"),
            count_if(orders.c.source == "partner_brand").label("partner_brand")]


def _frame(rows, keys: list[str]) -> pd.DataFrame:
    data = [(*r[:len(keys)], as_int(r.own_sales), as_int(r.partner_brand)) for r in rows]
    frame = pd.DataFrame(data, columns=keys + ["own_sales", "partner_brand"])
    frame["partner_share"] = [ratio(p, o + p) for o, p in zip(frame["own_sales"], frame["partner_brand"])]
    return frame


def mix_by_month(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """Every month of the range: month ('YYYY-MM'), own_sales, partner_brand, partner_share."""
    month = month_of(orders.c.created_at)
    query = select(month.label("month"), *_counts()).where(*_where(f)).group_by(month)
    with connect(bind) as connection:
        found = {r.month: r for r in connection.execute(query)}
    rows = []
    for m in periods(f, "month"):
        row = found.get(m)
        rows.append((m, as_int(row.own_sales) if row else 0, as_int(row.partner_brand) if row else 0))
    frame = pd.DataFrame(rows, columns=["month", "own_sales", "partner_brand"])
    frame["partner_share"] = [ratio(p, o + p) for o, p in zip(frame["own_sales"], frame["partner_brand"])]
    return frame


def _city_source():
    return orders.join(s.communities, s.communities.c.id == orders.c.community_id) \
        .join(s.cities, s.cities.c.id == s.communities.c.city_id)


def mix_by_city(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """Cities with such orders: city_id, city, own_sales, partner_brand, partner_share; by city_id."""
    c = s.cities.c
    query = (select(c.id.label("city_id"), c.name.label("city"), *_counts()).select_from(_city_source())
             .where(*_where(f)).group_by(c.id, c.name).order_by(c.id))
    with connect(bind) as connection:
        return _frame(connection.execute(query).all(), ["city_id", "city"])


def mix_by_city_month(bind: Bind, f: KpiFilters) -> pd.DataFrame:
    """(city, month) pairs that occur: city_id, city, month, own_sales, partner_brand, partner_share."""
    c = s.cities.c
    month = month_of(orders.c.created_at)
    query = (select(c.id.label("city_id"), c.name.label("city"), month.label("month"), *_counts())
             .select_from(_city_source()).where(*_where(f))
             .group_by(c.id, c.name, month).order_by(c.id, month))
    with connect(bind) as connection:
        return _frame(connection.execute(query).all(), ["city_id", "city", "month"])


__all__ = ["MIX_SOURCES", "mix_by_month", "mix_by_city", "mix_by_city_month"]
