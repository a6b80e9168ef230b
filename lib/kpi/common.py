"""Predicates and helpers the KPI modules share (as-of state, filter scopes)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Connection, Engine, and_, case, func, or_, select
from sqlalchemy.sql.expression import ColumnElement

from lib.db import schema as s
from lib.kpi.filters import KpiFilters
from lib.kpi.sql import integer, moment

Bind = Engine | Connection
orders = s.service_orders


@contextmanager
def connect(bind: Bind) -> Iterator[Connection]:
    """A connection: `bind` itself, or a new one from the engine (closed after)."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as connection:
            yield connection


def happened(column, f: KpiFilters) -> ColumnElement:
    """`column` is set and at or before as-of (a moment equal to as-of has happened)."""
    return and_(column.isnot(None), column < moment(f.as_of_next))


def not_happened(column, f: KpiFilters) -> ColumnElement:
    """`column` is NULL or after as-of."""
    return or_(column.is_(None), column >= moment(f.as_of_next))


def exists_at(f: KpiFilters, table=orders) -> ColumnElement:
    """The order was created by as-of: rows created after as-of do not exist, even where
    a wrong clock dated their completion or rating before as-of."""
    return table.c.created_at < moment(f.as_of_next)


def cancelled(f: KpiFilters, table=orders) -> ColumnElement:
    return happened(table.c.cancelled_at, f)


def not_cancelled(f: KpiFilters, table=orders) -> ColumnElement:
    return not_happened(table.c.cancelled_at, f)


def completed(f: KpiFilters, table=orders) -> ColumnElement:
    """Completed by as-of (says nothing about cancellation)."""
    return happened(table.c.completed_at, f)


def created_in_range(f: KpiFilters, table=orders) -> ColumnElement:
    """Created in the date range and by as-of: an index range on `created_at`."""
    upper = min(f.range_end, f.as_of_next)
    return and_(table.c.created_at >= moment(f.range_start), table.c.created_at < moment(upper))


def community_ids_in_cities(city_ids) -> ColumnElement:
    return select(s.communities.c.id).where(s.communities.c.city_id.in_(city_ids)).scalar_subquery()


def order_scope(f: KpiFilters, *, table=orders, service_types: bool = True,
                brands: bool = True, sources: bool = True, cities: bool = True) -> list:
    """WHERE clauses for the order-level filters (not the date range, not cancellation)."""
    clauses = []
    if cities and f.city_ids:
        clauses.append(table.c.community_id.in_(community_ids_in_cities(f.city_ids)))
    if brands and f.brand_ids:
        clauses.append(table.c.brand_id.in_(f.brand_ids))
    if service_types and f.service_types:
        clauses.append(table.c.service_type.in_(f.service_types))
    if sources and f.sources:
        clauses.append(table.c.source.in_(f.sources))
    return clauses


def count_if(condition) -> ColumnElement:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END), 0 on no rows after `as_int`."""
    return func.sum(case((condition, integer(1)), else_=integer(0)))


def as_int(value) -> int:
    return int(value or 0)


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
