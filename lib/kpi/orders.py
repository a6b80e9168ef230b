"""KPI 1, order volume: orders by creation date, split, cancelled shown apart.

Filters: the date range is on `created_at` (and only orders created by as-of
exist); city (the order's community's city), brand, service type and source
all apply. `orders` counts orders not cancelled by as-of; `cancelled` counts
orders cancelled by as-of (also when they were completed too).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
from sqlalchemy import select

from lib.db import schema as s
from lib.errors import ValidationFailed
from lib.kpi.common import (Bind, as_int, cancelled, connect, count_if, created_in_range,
                            not_cancelled, order_scope, orders, ratio)
from lib.kpi.filters import KpiFilters, previous_period
from lib.kpi.sql import date_of, month_of, week_of

GRAINS = ("day", "week", "month")
DIMENSIONS = ("city", "brand", "service_type", "source", "channel")


@dataclass(frozen=True)
class OrderTotals:
    orders: int      # created in range, not cancelled by as-of
    cancelled: int   # created in range, cancelled by as-of


@dataclass(frozen=True)
class OrderChange:
    current: int
    previous: int    # same filters over `previous_period(filters)`
    change: int      # current - previous
    change_ratio: float | None  # change / previous; None when previous is 0


def _where(f: KpiFilters) -> list:
    return [created_in_range(f), *order_scope(f)]


def _count_columns(f: KpiFilters) -> list:
    return [count_if(not_cancelled(f)).label("orders"), count_if(cancelled(f)).label("cancelled")]


def order_totals(bind: Bind, filters: KpiFilters) -> OrderTotals:
    """Orders created in the range (not cancelled) and cancelled ones, apart."""
    query = select(*_count_columns(filters)).where(*_where(filters))
    with connect(bind) as connection:
        row = connection.execute(query).one()
    return OrderTotals(orders=as_int(row.orders), cancelled=as_int(row.cancelled))


def orders_change(bind: Bind, filters: KpiFilters) -> OrderChange:
    """Non-cancelled orders now against the previous period of the same length."""
    current = order_totals(bind, filters).orders
    previous = order_totals(bind, previous_period(filters)).orders
    return OrderChange(current, previous, current - previous, ratio(current - previous, previous))


def _period(grain: str):
    if grain not in GRAINS:
        raise ValidationFailed("kpi.bad_grain", grain=grain)
    return {"day": date_of, "week": week_of, "month": month_of}[grain](orders.c.created_at)


def _dimension(dimension: str | None):
    """(key column, label column or None, joins needed) for a breakdown."""
    if dimension is None:
        return None, None, None
    if dimension not in DIMENSIONS:
        raise ValidationFailed("kpi.bad_dimension", dimension=dimension)
    if dimension == "city":
        source = orders.join(s.communities, s.communities.c.id == orders.c.community_id) \
            .join(s.cities, s.cities.c.id == s.communities.c.city_id)
        return s.cities.c.id, s.cities.c.name, source
    if dimension == "brand":
        source = orders.join(s.brands, s.brands.c.id == orders.c.brand_id)
        return s.brands.c.id, s.brands.c.name, source
    return orders.c[dimension], None, orders


def orders_by(bind: Bind, filters: KpiFilters, dimension: str) -> pd.DataFrame:
    """Columns key, label, orders, cancelled; one row per value that occurs, by key.

    `dimension`: city, brand (key = id, label = name), service_type, source,
    channel (key = label = the enum value).
    """
    key, label, source = _dimension(dimension)
    label = label if label is not None else key
    query = (select(key.label("key"), label.label("label"), *_count_columns(filters))
             .select_from(source).where(*_where(filters))
             .group_by(key, label).order_by(key))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame(
        [(r.key, r.label, as_int(r.orders), as_int(r.cancelled)) for r in rows],
        columns=["key", "label", "orders", "cancelled"])


def orders_over_time(bind: Bind, filters: KpiFilters, *, grain: str = "day",
                     dimension: str | None = None) -> pd.DataFrame:
    """Columns period[, key], orders, cancelled, sorted by period (and key).

    period: a `date` for day, the Monday of the ISO week for week, 'YYYY-MM'
    for month. Without a dimension every period of the range is listed,
    zeros included; with one, only (period, key) pairs that occur.
    """
    period = _period(grain).label("period")
    key, _, source = _dimension(dimension)
    columns = [period] + ([key.label("key")] if key is not None else [])
    query = (select(*columns, *_count_columns(filters))
             .select_from(source if source is not None else orders)
             .where(*_where(filters))
             .group_by(*[c.element for c in columns]).order_by(*[c.element for c in columns]))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    names = ["period"] + (["key"] if key is not None else []) + ["orders", "cancelled"]
    frame = pd.DataFrame([(*r[:-2], as_int(r[-2]), as_int(r[-1])) for r in rows], columns=names)
    if key is None:
        frame = _fill_periods(frame, filters, grain)
    return frame.reset_index(drop=True)


def periods(filters: KpiFilters, grain: str) -> list:
    """Every period label of the range (dates, Mondays, or 'YYYY-MM'), in order."""
    days = [filters.start + timedelta(days=i) for i in range(filters.days)]
    if grain == "day":
        return days
    if grain == "week":
        return sorted({d - timedelta(days=d.weekday()) for d in days})
    return sorted({d.strftime("%Y-%m") for d in days})


def _fill_periods(frame: pd.DataFrame, filters: KpiFilters, grain: str) -> pd.DataFrame:
    counts = {row.period: (row.orders, row.cancelled) for row in frame.itertuples()}
    return pd.DataFrame(
        [(p, *counts.get(p, (0, 0))) for p in periods(filters, grain)],
        columns=["period", "orders", "cancelled"])


def orders_cube(bind: Bind, filters: KpiFilters) -> pd.DataFrame:
    """Columns period (date), source, service_type, orders, cancelled: one row per
    combination that occurs. One grouped query from which a caller that needs
    the day, source and service-type splits together (the report) sums them."""
    keys = [date_of(orders.c.created_at).label("period"), orders.c.source, orders.c.service_type]
    query = (select(*keys, *_count_columns(filters)).where(*_where(filters))
             .group_by(*[k.element if hasattr(k, "element") else k for k in keys]))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame([(r.period, r.source, r.service_type, as_int(r.orders), as_int(r.cancelled))
                         for r in rows],
                        columns=["period", "source", "service_type", "orders", "cancelled"])


def orders_by_day(bind: Bind, filters: KpiFilters) -> pd.DataFrame:
    """Every day of the range: period (date), orders, cancelled."""
    return orders_over_time(bind, filters, grain="day")


__all__ = ["OrderTotals", "OrderChange", "order_totals", "orders_change", "orders_by",
           "orders_over_time", "orders_by_day", "orders_cube", "periods", "GRAINS", "DIMENSIONS"]
