"""KPI 3, engineer star levels, and the engineer pages' figures.

Star level: ratings with `rated_at` from as-of minus the window (90 days) to
as-of, both ends included, of orders created by as-of (an order created after
as-of does not exist, whatever its rating's date) and not cancelled by as-of,
credited to the order's engineer. Fewer than the minimum (10): the average is
reported, the level is None. Otherwise the level is the first threshold (4.8, 4.5, 4.0, 3.0
for 5, 4, 3, 2 stars) the exact average reaches, else 1. Engineers registered
after as-of do not exist.

Filters: star levels ignore the date range and the brand, service-type and
source filters (a level is about the engineer, over the window); `city_ids`
selects engineers by their own city.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from fractions import Fraction

import pandas as pd
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from lib.db import schema as s
from lib.kpi.common import (Bind, as_int, completed, connect, count_if, created_in_range,
                            exists_at, not_cancelled, order_scope, orders, ratio)
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sla import SlaSummary, sla_summary
from lib.kpi.sql import add_seconds, integer, moment, month_of, unindexed

FIRST_TIME_FIX_DAYS = 30
STAR_TABLE_COLUMNS = ["engineer_id", "name", "city_id", "ratings", "avg_stars", "star_level"]


def star_level(count: int, total: int, settings: KpiSettings | None = None) -> int | None:
    """The level for `count` ratings summing to `total` stars (exact comparison)."""
    st = settings or KpiSettings()
    if count < st.star_min_ratings:
        return None
    average = Fraction(total, count)
    for level, threshold in zip((5, 4, 3, 2), st.star_thresholds):
        if average >= Fraction(str(threshold)):
            return level
    return 1


def _window_ratings(f: KpiFilters, st: KpiSettings):
    """Per engineer: ratings in the star window and their star sum (a subquery)."""
    window_start = f.as_of - timedelta(days=st.star_window_days)
    return (select(orders.c.engineer_id, func.count().label("ratings"),
                   func.sum(s.ratings.c.stars).label("stars"))
            .select_from(s.ratings.join(orders, orders.c.id == s.ratings.c.order_id))
            .where(s.ratings.c.rated_at >= moment(window_start),
                   s.ratings.c.rated_at < moment(f.as_of_next),
                   orders.c.engineer_id.isnot(None), exists_at(f), not_cancelled(f))
            .group_by(orders.c.engineer_id).subquery())


def engineer_star_levels(bind: Bind, filters: KpiFilters, settings: KpiSettings | None = None, *,
                         engineer_id: int | None = None) -> pd.DataFrame:
    """Every engineer registered by as-of (city filter on the engineer's city), by id:
    engineer_id, name, city_id, ratings (in the window), avg_stars (None without
    ratings), star_level (1-5, None when unrated). No phone or ID card columns."""
    st = settings or KpiSettings()
    e, window = s.engineers, _window_ratings(filters, st)
    query = (select(e.c.id, e.c.name, e.c.city_id, window.c.ratings, window.c.stars)
             .select_from(e.outerjoin(window, window.c.engineer_id == e.c.id))
             .where(e.c.registered_at < moment(filters.as_of_next)).order_by(e.c.id))
    if filters.city_ids:
        query = query.where(e.c.city_id.in_(filters.city_ids))
    if engineer_id is not None:
        query = query.where(e.c.id == engineer_id)
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    data = []
    for row in rows:
        count, total = as_int(row.ratings), as_int(row.stars)
        data.append((row.id, row.name, row.city_id, count,
                     total / count if count else None, star_level(count, total, st)))
    frame = pd.DataFrame(data, columns=STAR_TABLE_COLUMNS)
    frame["avg_stars"] = frame["avg_stars"].astype(float)      # NaN: no ratings
    frame["star_level"] = frame["star_level"].astype("Int64")  # <NA>: unrated
    return frame


def star_level_distribution(bind: Bind, filters: KpiFilters,
                            settings: KpiSettings | None = None) -> pd.DataFrame:
    """level ("5".."1", "unrated"), engineers: every level listed, zeros included."""
    table = engineer_star_levels(bind, filters, settings)
    counts = table["star_level"].map(lambda v: "unrated" if pd.isna(v) else str(int(v)))
    counts = counts.value_counts()
    levels = ["5", "4", "3", "2", "1", "unrated"]
    return pd.DataFrame([(lvl, int(counts.get(lvl, 0))) for lvl in levels],
                        columns=["level", "engineers"])


@dataclass(frozen=True)
class EngineerDetail:
    engineer_id: int
    name: str
    city_id: int
    ratings: int                 # in the star window
    avg_stars: float | None
    star_level: int | None
    monthly: pd.DataFrame        # month, completed, payout_fen, ratings, avg_stars
    completed: int               # completed in the range, not cancelled
    payout_fen: int | None       # their payouts; None where the viewer may not see pay
    sla: SlaSummary              # the engineer's installs created in the range
    first_time_fix: "FirstTimeFix"

    def without_pay(self) -> "EngineerDetail":
        """The same figures with every payout taken out (SPEC: pay is not HR's)."""
        return replace(self, payout_fen=None, monthly=self.monthly.drop(columns=["payout_fen"]))


@dataclass(frozen=True)
class FirstTimeFix:
    repairs: int
    fixed: int
    rate: float | None


def engineer_detail(bind: Bind, filters: KpiFilters, engineer_id: int,
                    settings: KpiSettings | None = None) -> EngineerDetail | None:
    """One engineer's page; None if the engineer does not exist at as-of.

    monthly: by month, orders completed in the range (by `completed_at`, by
    as-of, not cancelled by as-of) with their payouts, and ratings given in the
    range (by `rated_at`, by as-of) of that engineer's non-cancelled orders.
    Months with neither are left out. Order filters (brand, service type,
    source, city) apply to the orders counted; the star figures are the star
    table's (window, not range).
    """
    st = settings or KpiSettings()
    star = engineer_star_levels(bind, filters.replace(city_ids=()), st, engineer_id=engineer_id)
    if star.empty:
        return None
    head = star.iloc[0]
    upper = moment(min(filters.range_end, filters.as_of_next))
    scope = [orders.c.engineer_id == engineer_id, exists_at(filters), not_cancelled(filters),
             *order_scope(filters)]
    done_month = month_of(orders.c.completed_at).label("month")
    done = (select(done_month, func.count().label("n"), func.sum(orders.c.payout_fen).label("fen"))
            .where(*scope, completed(filters), orders.c.completed_at >= moment(filters.range_start),
                   orders.c.completed_at < upper)
            .group_by(done_month.element))
    rated_month = month_of(s.ratings.c.rated_at).label("month")
    rated = (select(rated_month, func.count().label("n"), func.sum(s.ratings.c.stars).label("stars"))
             .select_from(s.ratings.join(orders, orders.c.id == s.ratings.c.order_id))
             .where(*scope, s.ratings.c.rated_at >= moment(filters.range_start),
                    s.ratings.c.rated_at < upper)
             .group_by(rated_month.element))
    with connect(bind) as connection:
        done_rows = {r.month: (as_int(r.n), as_int(r.fen)) for r in connection.execute(done)}
        rated_rows = {r.month: (as_int(r.n), as_int(r.stars)) for r in connection.execute(rated)}
    monthly = pd.DataFrame(
        [(m, *done_rows.get(m, (0, 0)), rated_rows.get(m, (0, 0))[0],
          ratio(*reversed(rated_rows[m])) if m in rated_rows else None)
         for m in sorted(set(done_rows) | set(rated_rows))],
        columns=["month", "completed", "payout_fen", "ratings", "avg_stars"])
    fix = first_time_fix(bind, filters, engineer_id=engineer_id)
    fix_row = fix.iloc[0] if not fix.empty else None
    return EngineerDetail(
        engineer_id=int(head.engineer_id), name=head["name"], city_id=int(head.city_id),
        ratings=int(head.ratings),
        avg_stars=float(head.avg_stars) if pd.notna(head.avg_stars) else None,
        star_level=None if pd.isna(head.star_level) else int(head.star_level),
        monthly=monthly, completed=int(monthly["completed"].sum()),
        payout_fen=int(monthly["payout_fen"].sum()),
        sla=sla_summary(bind, filters, st, engineer_id=engineer_id),
        first_time_fix=FirstTimeFix(
            int(fix_row.repairs), int(fix_row.fixed),
            float(fix_row.rate) if pd.notna(fix_row.rate) else None)
        if fix_row is not None else FirstTimeFix(0, 0, None))


def _first_time_fix_parts(filters: KpiFilters, days: int):
    """(fixed column, WHERE clauses) of the counted repairs, without their range on time."""
    follow = aliased(orders)
    window_end = add_seconds(orders.c.completed_at, integer(days * 86400))
    repeat = exists().where(
        follow.c.appliance_id == orders.c.appliance_id, follow.c.service_type == "repair",
        follow.c.id != orders.c.id, unindexed(follow.c.created_at) >= orders.c.completed_at,
        unindexed(follow.c.created_at) < window_end,
        unindexed(follow.c.created_at) < moment(filters.as_of_next),
        not_cancelled(filters, follow))
    closed = moment(filters.as_of_next - timedelta(days=days))
    where = [orders.c.service_type == "repair", orders.c.appliance_id.isnot(None),
             orders.c.engineer_id.isnot(None), completed(filters), not_cancelled(filters),
             orders.c.completed_at < closed, *order_scope(filters, service_types=False)]
    return count_if(~repeat), where


def first_time_fix(bind: Bind, filters: KpiFilters, *, engineer_id: int | None = None,
                   days: int = FIRST_TIME_FIX_DAYS) -> pd.DataFrame:
    """First-time-fix rate per engineer: engineer_id, repairs, fixed, rate.

    A *repair* counted here: a `repair` order with an appliance and an
    engineer, created in the range, completed by as-of and not cancelled by
    as-of, whose follow-up window has closed (completed at least `days` x 24 h
    before as-of). It is *fixed* when no other `repair` order of the same
    appliance, not cancelled by as-of, was created from its completion up to
    (not including) `days` x 24 h later. City, brand and source filters apply
    to the counted repair; the service-type filter does not (always repair).
    """
    fixed, where = _first_time_fix_parts(filters, days)
    query = (select(orders.c.engineer_id, func.count().label("repairs"), fixed.label("fixed"))
             .where(created_in_range(filters), *where)
             .group_by(orders.c.engineer_id).order_by(orders.c.engineer_id))
    if engineer_id is not None:
        query = query.where(orders.c.engineer_id == engineer_id)
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame(
        [(r.engineer_id, as_int(r.repairs), as_int(r.fixed), ratio(as_int(r.fixed), as_int(r.repairs)))
         for r in rows], columns=["engineer_id", "repairs", "fixed", "rate"])


def first_time_fix_closed_since(bind: Bind, filters: KpiFilters, *, closed_from: datetime,
                                days: int = FIRST_TIME_FIX_DAYS) -> FirstTimeFix:
    """First-time fix over a moving window (alert rules): the repairs counted as in
    `first_time_fix`, but chosen by the end of their follow-up window (completion plus
    `days` x 24 h) from `closed_from` to as-of, both included, instead of by creation
    date; the date range of `filters` is not used, their city, brand and source are."""
    fixed, where = _first_time_fix_parts(filters, days)
    opened = moment(closed_from - timedelta(days=days))
    query = (select(func.count().label("repairs"), fixed.label("fixed"))
             .where(orders.c.completed_at >= opened, exists_at(filters), *where))
    with connect(bind) as connection:
        row = connection.execute(query).one()
    repairs, fixed_count = as_int(row.repairs), as_int(row.fixed)
    return FirstTimeFix(repairs, fixed_count, ratio(fixed_count, repairs))


__all__ = ["star_level", "engineer_star_levels", "star_level_distribution", "engineer_detail",
           "EngineerDetail", "FirstTimeFix", "first_time_fix", "first_time_fix_closed_since"]
