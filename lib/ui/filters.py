"""The filter sidebar the KPI pages share: date range, cities, brands, service
types, sources; and the as-of moment with its refresh button.

The choice lives in a plain session key (`kpi.filters`), because Streamlit
forgets the state of widgets a page does not draw: each page re-seeds its
widgets from that key, so the choice survives moving between pages. It is
also written to the URL (ids and enum values only, never personal data), so
a link reproduces the view; a URL whose filter values differ from what this
session last wrote there wins. Values that do not parse or do not exist are
ignored.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import streamlit as st

from lib.db.schema import SERVICE_TYPES, SOURCES
from lib.i18n import formatting as fmt
from lib.kpi.filters import PRESETS, KpiFilters, preset_range
from lib.timeutil import now_local
from lib.ui import cache
from lib.ui.text import t

CUSTOM = "custom"
PRESET_CHOICES = (*PRESETS, CUSTOM)
DEFAULT_PRESET = "last_90_days"
STATE_KEY = "kpi.filters"
URL_KEY = "kpi.filters.url"
REFRESHED_KEY = "kpi.refreshed_at"
URL_PARAMS = ("preset", "start", "end", "city", "brand", "type", "source")
MIN_DAY = date(2000, 1, 1)
AS_OF_STEP = timedelta(seconds=cache.TTL)
W = {name: f"kpi.w.{name}" for name in ("preset", "range", "cities", "brands", "types", "sources")}


@dataclass(frozen=True)
class FilterState:
    preset: str = DEFAULT_PRESET
    start: date | None = None   # only used with the custom preset
    end: date | None = None
    cities: tuple[int, ...] = ()
    brands: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


# -- URL <-> state (pure, tested without Streamlit) ---------------------------------
def _ids(text: str | None, allowed) -> tuple[int, ...]:
    out = []
    for part in (text or "").split(","):
        part = part.strip()
        if part.isascii() and part.isdigit() and int(part) in allowed and int(part) not in out:
            out.append(int(part))
    return tuple(out)


def _words(text: str | None, allowed) -> tuple[str, ...]:
    out = []
    for part in (text or "").split(","):
        if part.strip() in allowed and part.strip() not in out:
            out.append(part.strip())
    return tuple(out)


def _day(text: str | None) -> date | None:
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is None or day >= MIN_DAY else None


def state_from_params(params: dict[str, str], city_ids, brand_ids) -> FilterState | None:
    """The filters a URL asks for, or None when it names none; bad values are dropped."""
    if not any(params.get(name) for name in URL_PARAMS):
        return None
    preset = params.get("preset") if params.get("preset") in PRESET_CHOICES else DEFAULT_PRESET
    start, end = _day(params.get("start")), _day(params.get("end"))
    if preset == CUSTOM and (start is None or end is None):
        preset, start, end = DEFAULT_PRESET, None, None
    if start is not None and end is not None and start > end:
        start, end = end, start
    if preset != CUSTOM:
        start = end = None
    return FilterState(preset, start, end, _ids(params.get("city"), set(city_ids)),
                       _ids(params.get("brand"), set(brand_ids)),
                       _words(params.get("type"), SERVICE_TYPES), _words(params.get("source"), SOURCES))


def params_from_state(state: FilterState) -> dict[str, str]:
    """The URL parameters for a choice (empty ones left out)."""
    params = {"preset": state.preset}
    if state.preset == CUSTOM:
        params.update(start=state.start.isoformat(), end=state.end.isoformat())
    for name, values in (("city", state.cities), ("brand", state.brands), ("type", state.types),
                         ("source", state.sources)):
        if values:
            params[name] = ",".join(str(v) for v in values)
    return params


def date_range(state: FilterState, today: date) -> tuple[date, date]:
    if state.preset == CUSTOM and state.start and state.end:
        return state.start, state.end
    return preset_range(state.preset if state.preset in PRESETS else DEFAULT_PRESET, today)


def as_of_moment(now: datetime, refreshed_at: datetime | None) -> datetime:
    """Now, floored to the cache period (so cached figures are reused for it), or the
    moment of the last refresh if that is later."""
    step = int(AS_OF_STEP.total_seconds())
    seconds = now.hour * 3600 + now.minute * 60 + now.second
    floored = now.replace(hour=0, minute=0, second=0, microsecond=0) + \
        timedelta(seconds=seconds - seconds % step)
    return max(floored, refreshed_at) if refreshed_at and refreshed_at <= now else floored


# -- the sidebar ---------------------------------------------------------------------
def _seed_widgets(state: FilterState, today: date, force: bool) -> None:
    values = {W["preset"]: state.preset, W["range"]: date_range(state, today),
              W["cities"]: list(state.cities), W["brands"]: list(state.brands),
              W["types"]: list(state.types), W["sources"]: list(state.sources)}
    for key, value in values.items():
        if force or key not in st.session_state:
            st.session_state[key] = value


def _sync(name: str) -> None:
    """on_change of a filter widget: copy its value into the session's choice (callbacks
    run before the page, so the page then draws from an up-to-date choice)."""
    state = st.session_state.get(STATE_KEY) or FilterState()
    value = st.session_state[W[name]]
    today = now_local().date()
    if name == "preset":
        start, end = date_range(state, today)
        state = replace(state, preset=value, start=start if value == CUSTOM else None,
                        end=end if value == CUSTOM else None)
    elif name == "range":
        chosen = tuple(value or ())
        if len(chosen) == 2:  # half a range (one date picked) is not a choice yet
            state = replace(state, start=chosen[0], end=chosen[1])
    else:
        state = replace(state, **{name: tuple(value or ())})
    st.session_state[STATE_KEY] = state


def _url_params() -> dict[str, str]:
    return {name: st.query_params.get(name) for name in URL_PARAMS if name in st.query_params}


def _write_url(state: FilterState) -> None:
    wanted = params_from_state(state)
    for name in URL_PARAMS:
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]
    st.session_state[URL_KEY] = wanted


def kpi_filters(ctx) -> KpiFilters:
    """Draw the filter sidebar and the "data as of" line; return the chosen view."""
    now = now_local()
    as_of = as_of_moment(now, st.session_state.get(REFRESHED_KEY))
    today = as_of.date()
    cities, brands = cache.cities(), cache.brands()
    city_names = dict(zip(cities["id"].astype(int), cities["name"]))
    brand_names = dict(zip(brands["id"].astype(int), brands["name"]))

    state = st.session_state.get(STATE_KEY) or FilterState()
    asked = state_from_params(_url_params(), city_names, brand_names)
    force = asked is not None and params_from_state(asked) != st.session_state.get(URL_KEY)
    if force:
        state = asked
    if state.preset == CUSTOM and state.end > today:
        state = replace(state, start=min(state.start, today), end=today)
    state = replace(state, cities=tuple(c for c in state.cities if c in city_names),
                    brands=tuple(b for b in state.brands if b in brand_names))
    st.session_state[STATE_KEY] = state
    # Always from the choice: a widget of another page with the same key does not
    # carry its value over, and Streamlit drops the state of widgets not drawn.
    _seed_widgets(state, today, force=True)

    side = st.sidebar
    side.divider()
    side.subheader(t("kp.filters"))
    side.selectbox(t("kp.period"), PRESET_CHOICES, key=W["preset"],
                   on_change=_sync, args=("preset",), format_func=lambda p: t(f"kp.preset.{p}"))
    if st.session_state[W["preset"]] == CUSTOM:
        side.date_input(t("kp.date_range"), key=W["range"], min_value=MIN_DAY, max_value=today,
                        on_change=_sync, args=("range",), format="YYYY-MM-DD")
    side.multiselect(t("kp.cities"), list(city_names), key=W["cities"], on_change=_sync, args=("cities",),
                     format_func=lambda i: city_names.get(i, str(i)), placeholder=t("kp.all"))
    side.multiselect(t("kp.brands"), list(brand_names), key=W["brands"], on_change=_sync, args=("brands",),
                     format_func=lambda i: brand_names.get(i, str(i)), placeholder=t("kp.all"))
    side.multiselect(t("kp.service_types"), list(SERVICE_TYPES), key=W["types"], on_change=_sync, args=("types",),
                     format_func=lambda v: t(f"kp.service_type.{v}"), placeholder=t("kp.all"))
    side.multiselect(t("kp.sources"), list(SOURCES), key=W["sources"], on_change=_sync, args=("sources",),
                     format_func=lambda v: t(f"kp.source.{v}"), placeholder=t("kp.all"))
    if side.button(t("app.refresh"), key="kpi.w.refresh", icon="🔄"):
        # A later as-of is a new cache key: this view is computed afresh, others keep theirs.
        st.session_state[REFRESHED_KEY] = now
        as_of = now

    _write_url(state)
    start, end = date_range(state, today)
    if state.preset != CUSTOM:
        side.caption(t("kp.range_is", start=fmt.day(start, ctx.language), end=fmt.day(end, ctx.language)))
    st.caption(t("app.data_as_of", moment=fmt.moment(as_of, ctx.language)) + " · " +
               t("kp.range_is", start=fmt.day(start, ctx.language), end=fmt.day(end, ctx.language)))
    return KpiFilters(start=start, end=end, as_of=as_of, city_ids=state.cities, brand_ids=state.brands,
                      service_types=state.types, sources=state.sources)
