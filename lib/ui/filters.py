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
from lib.kpi.filters import COMPARISONS, PRESETS, KpiFilters, comparison_period, preset_range
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
COMPARE_KEY, PARTIAL_KEY = "kpi.compare", "kpi.exclude_partial"   # plain keys, kept across pages
COMPARE_WIDGET, PARTIAL_WIDGET = "kpi.w.compare", "kpi.w.exclude_partial"
_VIEW_KEY = "kpi.view"   # the view kpi_filters returned on this run


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
                     format_func=lambda i: city_names.get(i, str(i)), placeholder=t("kp.all"), select_all=False)
    side.multiselect(t("kp.brands"), list(brand_names), key=W["brands"], on_change=_sync, args=("brands",),
                     format_func=lambda i: brand_names.get(i, str(i)), placeholder=t("kp.all"), select_all=False)
    side.multiselect(t("kp.service_types"), list(SERVICE_TYPES), key=W["types"], on_change=_sync, args=("types",),
                     format_func=lambda v: t(f"kp.service_type.{v}"), placeholder=t("kp.all"), select_all=False)
    side.multiselect(t("kp.sources"), list(SOURCES), key=W["sources"], on_change=_sync, args=("sources",),
                     format_func=lambda v: t(f"kp.source.{v}"), placeholder=t("kp.all"), select_all=False)
    _comparison_widgets(side)
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
    view = KpiFilters(start=start, end=end, as_of=as_of, city_ids=state.cities, brand_ids=state.brands,
                      service_types=state.types, sources=state.sources)
    st.session_state[_VIEW_KEY] = view
    return view


# -- comparisons and partial periods ---------------------------------------------------
def _copy(widget: str, plain: str) -> None:
    st.session_state[plain] = st.session_state[widget]


def _comparison_widgets(side) -> None:
    """"Compare with" (previous period / same period last year; URL `compare`) and
    whether charts leave out an unfinished last period. Kept in plain keys so the
    choice survives moving between pages."""
    asked = st.query_params.get("compare")
    if asked in COMPARISONS and asked != st.session_state.get(f"{COMPARE_KEY}.url"):
        st.session_state[COMPARE_KEY] = asked
    st.session_state[COMPARE_WIDGET] = st.session_state.get(COMPARE_KEY, COMPARISONS[0])
    st.session_state[PARTIAL_WIDGET] = bool(st.session_state.get(PARTIAL_KEY, False))
    side.selectbox(t("i18n.compare"), COMPARISONS, key=COMPARE_WIDGET, on_change=_copy,
                   args=(COMPARE_WIDGET, COMPARE_KEY), format_func=lambda c: t(f"i18n.compare.{c}"))
    side.checkbox(t("i18n.exclude_partial"), key=PARTIAL_WIDGET, on_change=_copy,
                  args=(PARTIAL_WIDGET, PARTIAL_KEY))
    chosen = st.session_state[COMPARE_WIDGET]
    if st.query_params.get("compare") != chosen:
        st.query_params["compare"] = chosen
    st.session_state[f"{COMPARE_KEY}.url"] = chosen


def comparison_kind() -> str:
    kind = st.session_state.get(COMPARE_KEY, COMPARISONS[0])
    return kind if kind in COMPARISONS else COMPARISONS[0]


def compared(filters: KpiFilters) -> KpiFilters:
    """The view to compare `filters` with, as the user chose (like with like)."""
    return comparison_period(filters, comparison_kind())


def comparison_words(filters: KpiFilters, lang: str) -> tuple[str, str]:
    """(label, help) of the comparison: "Previous period", "Nov 1 to Nov 2, same filters…"."""
    other = compared(filters)
    return (t(f"i18n.compare.{comparison_kind()}"),
            t("i18n.compare.help", start=fmt.day(other.start, lang), end=fmt.day(other.end, lang)))


def exclude_partial() -> bool:
    return bool(st.session_state.get(PARTIAL_KEY, False))


def compare_metric(column, label: str, now, then, lang: str, *, rate: bool = False,
                   help_text: str | None = None, lower_is_better: bool = False) -> None:
    """A metric card with its change against the comparison period: counts as a
    difference and a percentage, rates (0..1) in percentage points; the help says
    which period it was compared with."""
    other_label, other_help = comparison_words(st.session_state[_VIEW_KEY], lang)
    if now is None:
        shown = "–"
    else:
        shown = fmt.percent(now, lang) if rate else fmt.number(now, lang)
    delta = None
    if now is not None and then is not None:
        if rate:
            delta = t("i18n.points", points=fmt.number(round(100 * (now - then), 1), lang))
        elif then:
            delta = f"{fmt.number(now - then, lang)} ({fmt.percent((now - then) / then, lang)})"
    then_text = "–" if then is None else (fmt.percent(then, lang) if rate else fmt.number(then, lang))
    words = t("i18n.compare.value", label=other_label, value=then_text) + " · " + other_help
    column.metric(label, shown, delta=delta, border=True, delta_color="inverse" if lower_is_better else "normal",
                  help=f"{help_text}\n\n{words}" if help_text else words)


def partial_view(frame, column: str, grain: str, filters: KpiFilters):
    """(frame, partial periods) for a trend: the periods the view covers only in part
    (lib.charts.partial_periods) are dropped when the user leaves them out, else
    returned to be marked, with a note under the chart saying which and why."""
    from lib import charts

    if frame.empty:
        return frame, set()
    partial = charts.partial_periods(frame[column].unique(), grain=grain, start=filters.start,
                                     end=filters.end, as_of=filters.as_of)
    if not partial:
        return frame, set()
    keys = charts._month_text(frame[column]) if grain in charts.MONTH_GRAINS else charts._iso_days(frame[column])
    if exclude_partial():
        return frame[~keys.isin(partial)], set()
    lang = filters_language()
    for period in sorted(partial):
        begin = date.fromisoformat(f"{period}-01" if len(period) == 7 else period)
        shown = fmt.day(begin, lang) if grain == "day" else (period if len(period) == 7 else fmt.day(begin, lang))
        st.caption("◌ " + t("i18n.partial_note_short", grain=t(f"i18n.grain.{grain}"), period=shown))
    return frame, partial


def filters_language() -> str:
    from lib.ui.text import language
    return language()


def with_range(file_name: str) -> str:
    """A download's file name with the view's date range: orders-by-day_2026-09-04_2026-12-02.csv
    (unchanged on pages without a KPI view)."""
    view = st.session_state.get(_VIEW_KEY)
    if view is None or "." not in file_name:
        return file_name
    stem, ext = file_name.rsplit(".", 1)
    return f"{stem}_{view.start.isoformat()}_{view.end.isoformat()}.{ext}"
