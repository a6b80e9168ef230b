"""Cached calls of the KPI library for the KPI pages.

Each public function takes the page's `ctx`, checks the role for that KPI
(so a page that forgot its guard still cannot read), then calls a cached
function keyed on the database URL and hashable arguments (frozen filter and
settings dataclasses), never on the engine. Entries live five minutes. The
refresh button moves the caller's as-of to now, a new key: only their own view
is computed again, everybody else's cached figures stay. No SQL here: it is in
lib/kpi.
"""
from __future__ import annotations

import functools
from datetime import timedelta

import pandas as pd
import streamlit as st

from lib import config
from lib.db import get_engine
from lib.db.limits import QuerySlots, load_limits, statement_timeout
from lib.kpi import communities, engineers, options, orders, retention, sla
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings, load_settings
from lib.roles import require
from lib.ui.auth import USERNAME_KEY
from lib.ui.text import city, language

TTL = 300
_CACHED = []


@st.cache_resource(show_spinner=False)
def _query_slots() -> QuerySlots:
    limits = load_limits()
    return QuerySlots(limits.queries_per_user, limits.slot_wait_seconds)


def _viewer() -> str:
    return st.session_state.get(USERNAME_KEY) or "anonymous"


def _cached(function):
    """`function` cached, and run within the viewer's query slots and the statement timeout.

    A cache hit takes a slot for a moment only; a miss holds it while the
    database works, so one user's many tabs wait for each other, not for all.
    """
    cached = st.cache_data(ttl=TTL, show_spinner=False, max_entries=500)(function)
    _CACHED.append(cached)

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        with _query_slots().taken(_viewer()), \
                statement_timeout(load_limits().statement_timeout_seconds):
            return cached(*args, **kwargs)

    bounded.clear = cached.clear
    return bounded


def clear() -> None:
    """Forget every cached KPI figure of every user (tests; the refresh button does not)."""
    for function in _CACHED:
        function.clear()


def db_url() -> str:
    return config.database_url()


def settings() -> KpiSettings:
    return load_settings()


def _allowed(ctx, permission: str) -> str:
    require(ctx.user.actor, permission)
    return db_url()


# -- filter choices -----------------------------------------------------------
@_cached
def _cities(url: str) -> pd.DataFrame:
    return options.city_options(get_engine(url))


@_cached
def _brands(url: str) -> pd.DataFrame:
    return options.brand_options(get_engine(url))


def cities() -> pd.DataFrame:
    """id, name, lat, lon, sla_24h_since (reference data, no personal data); the name as
    the session's reader wants it ("Ningbo 宁波" in English)."""
    frame = _cities(db_url())
    if language() == "zh_CN" or frame.empty:
        return frame
    return frame.assign(name=frame["name"].map(city))


def brands() -> pd.DataFrame:
    """id, name, is_partner."""
    return _brands(db_url())


# -- orders ---------------------------------------------------------------------
@_cached
def _orders_change(url: str, f: KpiFilters):
    return orders.orders_change(get_engine(url), f)


@_cached
def _order_totals(url: str, f: KpiFilters):
    return orders.order_totals(get_engine(url), f)


@_cached
def _orders_over_time(url: str, f: KpiFilters, grain: str, dimension: str | None):
    return orders.orders_over_time(get_engine(url), f, grain=grain, dimension=dimension)


@_cached
def _orders_by(url: str, f: KpiFilters, dimension: str):
    return orders.orders_by(get_engine(url), f, dimension)


def orders_change(ctx, f: KpiFilters):
    return _orders_change(_allowed(ctx, "kpi.orders"), f)


def order_totals(ctx, f: KpiFilters):
    return _order_totals(_allowed(ctx, "kpi.orders"), f)


def orders_over_time(ctx, f: KpiFilters, grain: str, dimension: str | None = None):
    return _orders_over_time(_allowed(ctx, "kpi.orders"), f, grain, dimension)


def orders_by(ctx, f: KpiFilters, dimension: str):
    return _orders_by(_allowed(ctx, "kpi.orders"), f, dimension)


# -- 24-hour promise ---------------------------------------------------------------
@_cached
def _sla(url: str, name: str, f: KpiFilters, st_: KpiSettings, extra: tuple = ()):
    function = {"summary": sla.sla_summary, "by_city": sla.sla_by_city,
                "by_brand": sla.sla_by_brand, "by_cutoff": sla.sla_by_cutoff,
                "at_risk": sla.sla_at_risk}.get(name)
    if name == "over_time":
        return sla.sla_over_time(get_engine(url), f, st_, grain=extra[0])
    if name == "breaches":
        return sla.sla_breaches(get_engine(url), f, st_, limit=extra[0])
    return function(get_engine(url), f, st_)


def sla_figure(ctx, name: str, f: KpiFilters, *extra):
    """name: summary, by_city, by_brand, by_cutoff, at_risk, over_time (grain),
    breaches (limit)."""
    return _sla(_allowed(ctx, "kpi.sla"), name, f, settings(), tuple(extra))


# -- engineers -----------------------------------------------------------------------
@_cached
def _star_levels(url: str, f: KpiFilters, st_: KpiSettings):
    return engineers.engineer_star_levels(get_engine(url), f, st_)


@_cached
def _engineer_detail(url: str, f: KpiFilters, engineer_id: int, st_: KpiSettings):
    return engineers.engineer_detail(get_engine(url), f, engineer_id, st_)


@_cached
def _first_time_fix(url: str, f: KpiFilters):
    return engineers.first_time_fix(get_engine(url), f)


def star_levels(ctx, f: KpiFilters) -> pd.DataFrame:
    return _star_levels(_allowed(ctx, "kpi.engineers"), f, settings())


def engineer_detail(ctx, f: KpiFilters, engineer_id: int):
    """One engineer's figures; their payouts only for a viewer who may see engineer pay."""
    detail = _engineer_detail(_allowed(ctx, "kpi.engineers"), f, int(engineer_id), settings())
    if detail is None or ctx.user.actor.may("kpi.engineer_pay"):
        return detail
    return detail.without_pay()


def first_time_fix(ctx, f: KpiFilters) -> pd.DataFrame:
    return _first_time_fix(_allowed(ctx, "kpi.engineers"), f)


# -- members -----------------------------------------------------------------------
@_cached
def _retention(url: str, f: KpiFilters, measure: str, channel: str | None):
    return retention.retention_matrix(get_engine(url), f, measure=measure, channel=channel)


@_cached
def _joins_and_leaves(url: str, f: KpiFilters):
    return retention.joins_and_leaves(get_engine(url), f)


def retention_matrix(ctx, f: KpiFilters, measure: str, channel: str | None = None):
    # Retention, the heaviest KPI over long ranges, has cohorts of whole joining
    # months overlapping the range: every range within the same months gives the
    # same figures, so they share one cached computation instead of one each.
    return _retention(_allowed(ctx, "kpi.retention"), whole_months(f), measure, channel)


def whole_months(f: KpiFilters) -> KpiFilters:
    """The view widened to the first and last day of its first and last month."""
    after_end = (f.end.replace(day=1) + timedelta(days=32)).replace(day=1)
    return f.replace(start=f.start.replace(day=1), end=after_end - timedelta(days=1))


def joins_and_leaves(ctx, f: KpiFilters) -> pd.DataFrame:
    return _joins_and_leaves(_allowed(ctx, "kpi.retention"), f)


# -- communities ---------------------------------------------------------------------
@_cached
def _maintenance_due(url: str, moment_and_scope: KpiFilters, st_: KpiSettings) -> dict[int, int]:
    return communities.maintenance_due(get_engine(url), moment_and_scope, st_)


def _due_at(url: str, f: KpiFilters, st_: KpiSettings) -> dict[int, int]:
    """Maintenance due of `f`'s as-of and city scope, computed once for every view of that
    moment: it depends on nothing else, so the key drops the range and order filters
    (the heat map, the per-city map and the ranking shared one 0.7-0.9 s query, run twice)."""
    key = KpiFilters(start=f.as_of.date(), end=f.as_of.date(), as_of=f.as_of, city_ids=f.city_ids)
    return _maintenance_due(url, key, st_)


@_cached
def _community_heat(url: str, f: KpiFilters, st_: KpiSettings):
    return communities.community_heat(get_engine(url), f, st_, due=_due_at(url, f, st_))


def community_heat(ctx, f: KpiFilters) -> pd.DataFrame:
    return _community_heat(_allowed(ctx, "kpi.communities"), f, settings())


@_cached
def _community_order_total(url: str, f: KpiFilters) -> int:
    return communities.order_total(get_engine(url), f)


def community_order_total(ctx, f: KpiFilters) -> int:
    """The orders of the heat summed (the previous period's comparison card)."""
    return _community_order_total(_allowed(ctx, "kpi.communities"), f)


@_cached
def _city_heat(url: str, f: KpiFilters, st_: KpiSettings):
    return communities.city_heat(get_engine(url), f, st_, due=_due_at(url, f, st_))


def city_heat(ctx, f: KpiFilters) -> pd.DataFrame:
    """The community heat summed per city (the country map)."""
    return _city_heat(_allowed(ctx, "kpi.communities"), f, settings())


def planned_free_repair_days(ctx, city_id: int, from_date) -> pd.DataFrame:
    """community_id, event_date of one city's planned free-repair days from a date on; not
    cached (one indexed read), so a day planned a moment ago shows at once."""
    url = _allowed(ctx, "kpi.communities")
    return communities.planned_free_repair_days(get_engine(url), city_id=int(city_id),
                                                from_date=from_date)


def maintenance_ranking(ctx, f: KpiFilters, limit: int | None = None) -> pd.DataFrame:
    """Ranked from the cached heat rows: the map and the ranking share one query."""
    return communities.rank_for_free_repair_days(community_heat(ctx, f), limit=limit)
