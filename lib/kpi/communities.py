"""KPI 5, community heat, and the free-repair-day ranking by maintenance due.

Per community (every community; `city_ids` selects by the community's city):
- orders: created in the range (and by as-of), not cancelled by as-of, by the
  order's `community_id`; brand, service-type and source filters apply;
- ratings / avg_stars: ratings given by as-of of those orders (None: none);
- members: by the member's `community_id`, joined by as-of and not left by
  as-of (`left_at` equal to as-of has left);
- maintenance_due: appliances of those members, bought by as-of, of a
  category with an interval, whose last completed (by as-of) and not
  cancelled (by as-of) cleaning, maintenance or filter_change of an order
  created by as-of (a later order does not exist yet), or purchase
  where there is none, is more than the interval before as-of: strictly
  `last < as_of - interval days` (exactly the interval is not yet due).
  The date range and the order filters do not apply to members and
  maintenance due.
"""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import and_, case, exists, func, or_, select

from lib.db import schema as s
from lib.kpi.common import (Bind, as_int, completed, connect, created_in_range, exists_at,
                            not_cancelled, not_happened, order_scope, orders, ratio)
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sql import moment, unindexed

RESET_SERVICES = ("cleaning", "maintenance", "filter_change")
HEAT_COLUMNS = ["community_id", "name", "city_id", "lat", "lon", "households", "orders",
                "ratings", "avg_stars", "members", "maintenance_due"]
c = s.communities
m = s.members
a = s.appliances


def _still_member(f: KpiFilters) -> list:
    return [m.c.joined_at < moment(f.as_of_next), not_happened(m.c.left_at, f)]


def _city_scope(f: KpiFilters, column) -> list:
    return [column.in_(f.city_ids)] if f.city_ids else []


def maintenance_due_query(f: KpiFilters, st: KpiSettings):
    """community_id, due: appliances due for maintenance at as-of, per member community.

    Shaped for speed on SQLite: appliances are scanned first (a derived table per
    member), and each looks up its resets with one seek on the appliance index.
    """
    intervals = st.interval_days
    if not intervals:
        return None
    threshold = case(*[(a.c.category == category, moment(f.as_of - timedelta(days=days)))
                       for category, days in sorted(intervals.items())])

    def reset(*more):
        # one seek on (appliance_id, ...) per appliance; the index holds service_type and
        # completed_at, so only matching resets are read from the table (cancelled_at).
        return exists().where(orders.c.appliance_id == a.c.id,
                              unindexed(orders.c.service_type).in_(RESET_SERVICES),
                              completed(f), not_cancelled(f), exists_at(f), *more)
    # last reset (or purchase, where there is none) < threshold, written as: no reset
    # since the threshold, and bought before it or reset at some time before it.
    due = and_(~reset(orders.c.completed_at >= threshold),
               or_(a.c.purchased_at < threshold, reset()))
    per_member = (select(a.c.member_id, func.count().label("due"))
                  .where(a.c.category.in_(sorted(intervals)),
                         a.c.purchased_at < moment(f.as_of_next), due)
                  .group_by(a.c.member_id).subquery())
    query = (select(m.c.community_id, func.sum(per_member.c.due).label("due"))
             .select_from(per_member.join(m, m.c.id == per_member.c.member_id))
             .where(*_still_member(f))
             .group_by(m.c.community_id))
    if f.city_ids:
        query = query.where(m.c.community_id.in_(
            select(c.c.id).where(c.c.city_id.in_(f.city_ids)).scalar_subquery()))
    return query


def _order_query(f: KpiFilters):
    rated = and_(s.ratings.c.order_id == orders.c.id, s.ratings.c.rated_at < moment(f.as_of_next))
    return (select(orders.c.community_id, func.count(orders.c.id).label("orders"),
                   func.count(s.ratings.c.id).label("ratings"),
                   func.sum(s.ratings.c.stars).label("stars"))
            .select_from(orders.outerjoin(s.ratings, rated))
            .where(created_in_range(f), not_cancelled(f), *order_scope(f))
            .group_by(orders.c.community_id))


def order_total(bind: Bind, filters: KpiFilters) -> int:
    """The heat's orders summed over the communities of the view, in the database (the
    comparison card needs the previous period's sum only, not its whole heat with
    members and maintenance due)."""
    per_community = _order_query(filters).subquery()
    query = (select(func.sum(per_community.c.orders))
             .select_from(per_community.join(c, c.c.id == per_community.c.community_id))
             .where(*_city_scope(filters, c.c.city_id)))
    with connect(bind) as connection:
        return as_int(connection.execute(query).scalar())


def _member_query(f: KpiFilters):
    # A table scan beats walking the community index on SQLite (no row lookups).
    community = unindexed(m.c.community_id).label("community_id")
    return (select(community, func.count().label("n"))
            .where(*_still_member(f)).group_by(community.element))


def maintenance_due(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None) -> dict[int, int]:
    """{community_id: appliances due} at the view's as-of (communities with none left out).

    Depends on the as-of moment and the city scope only, not on the date range or the
    order filters: callers that need it for several views of one moment (the heat map,
    the per-city map, the ranking) compute it once and pass it on as `due=`.
    """
    query = maintenance_due_query(filters, settings or KpiSettings())
    if query is None:
        return {}
    with connect(bind) as connection:
        return {r.community_id: as_int(r.due) for r in connection.execute(query)}


def community_heat(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None, *,
                   due: dict[int, int] | None = None) -> pd.DataFrame:
    """One row per community (by id), columns HEAT_COLUMNS; lat/lon for a map.
    `due`: `maintenance_due` of the same as-of and city scope, when already computed."""
    st = settings or KpiSettings()
    f = filters
    order_query, member_query = _order_query(f), _member_query(f)
    base = (select(c.c.id, c.c.name, c.c.city_id, c.c.lat, c.c.lon, c.c.households)
            .where(*_city_scope(f, c.c.city_id)).order_by(c.c.id))
    due_rows = due if due is not None else maintenance_due(bind, f, st)
    with connect(bind) as connection:
        places = connection.execute(base).all()
        order_rows = {r.community_id: r for r in connection.execute(order_query)}
        member_rows = {r.community_id: as_int(r.n) for r in connection.execute(member_query)}
    data = []
    for p in places:
        o = order_rows.get(p.id)
        n_orders, n_ratings, stars = (as_int(o.orders), as_int(o.ratings), as_int(o.stars)) \
            if o is not None else (0, 0, 0)
        data.append((p.id, p.name, p.city_id, p.lat, p.lon, p.households, n_orders, n_ratings,
                     ratio(stars, n_ratings), member_rows.get(p.id, 0), due_rows.get(p.id, 0)))
    return pd.DataFrame(data, columns=HEAT_COLUMNS)


CITY_HEAT_COLUMNS = ["city_id", "communities", "orders", "ratings", "avg_stars", "members",
                     "maintenance_due"]


def city_heat(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None, *,
              due: dict[int, int] | None = None) -> pd.DataFrame:
    """The community heat summed per city (the country map's data: one row per city that
    has a community, columns CITY_HEAT_COLUMNS). Same definitions as `community_heat`;
    avg_stars is over all the city's rated orders. Orders, ratings and members are
    summed in the database; maintenance due is summed here from its per-community
    counts (`due`, as in `community_heat`, or computed when not given)."""
    st = settings or KpiSettings()
    f = filters

    def per_city(per_community, *sums):
        sub = per_community.subquery()
        return (select(c.c.city_id, *[func.sum(getattr(sub.c, col)).label(col) for col in sums])
                .select_from(sub.join(c, c.c.id == sub.c.community_id))
                .group_by(c.c.city_id))
    base = (select(c.c.city_id, func.count().label("communities"))
            .where(*_city_scope(f, c.c.city_id)).group_by(c.c.city_id).order_by(c.c.city_id))
    due_by_community = due if due is not None else maintenance_due(bind, f, st)
    with connect(bind) as connection:
        places = connection.execute(base).all()
        order_rows = {r.city_id: r for r in connection.execute(
            per_city(_order_query(f), "orders", "ratings", "stars"))}
        member_rows = {r.city_id: as_int(r.n) for r in connection.execute(
            per_city(_member_query(f), "n"))}
        due_rows: dict[int, int] = {}
        for community_id, city_id in connection.execute(select(c.c.id, c.c.city_id)):
            due_rows[city_id] = due_rows.get(city_id, 0) + due_by_community.get(community_id, 0)
    data = []
    for p in places:
        o = order_rows.get(p.city_id)
        n_orders, n_ratings, stars = (as_int(o.orders), as_int(o.ratings), as_int(o.stars)) \
            if o is not None else (0, 0, 0)
        data.append((p.city_id, as_int(p.communities), n_orders, n_ratings,
                     ratio(stars, n_ratings), member_rows.get(p.city_id, 0),
                     due_rows.get(p.city_id, 0)))
    return pd.DataFrame(data, columns=CITY_HEAT_COLUMNS)


def planned_free_repair_days(bind: Bind, *, city_id: int, from_date) -> pd.DataFrame:
    """community_id, event_date: the free-repair days planned (status planned) on or
    after `from_date` for the communities of one city, soonest first."""
    days = s.free_repair_days
    query = (select(days.c.community_id, days.c.event_date)
             .select_from(days.join(c, c.c.id == days.c.community_id))
             .where(c.c.city_id == city_id, days.c.status == "planned",
                    days.c.event_date >= from_date)
             .order_by(days.c.event_date, days.c.id))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["community_id", "event_date"])


def maintenance_ranking(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None, *,
                        limit: int | None = None) -> pd.DataFrame:
    """The heat rows ranked for free-repair days: most maintenance due first, then
    members, then id; communities with nothing due are left out; `limit` rows."""
    return rank_for_free_repair_days(community_heat(bind, filters, settings), limit=limit)


def rank_for_free_repair_days(heat: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """Rank already computed heat rows (so a page that has them does not query twice)."""
    ranked = heat[heat["maintenance_due"] > 0].sort_values(
        ["maintenance_due", "members", "community_id"], ascending=[False, False, True])
    ranked = ranked.reset_index(drop=True)
    return ranked.head(limit) if limit is not None else ranked


__all__ = ["community_heat", "city_heat", "maintenance_due", "order_total", "planned_free_repair_days", "maintenance_ranking", "rank_for_free_repair_days", "maintenance_due_query", "HEAT_COLUMNS",
           "RESET_SERVICES"]
