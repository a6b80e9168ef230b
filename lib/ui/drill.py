"""The drill-down pages (issue 16): the order list behind a figure, one order's
lookup, one engineer's page. Filters live in the URL so a link can be shared;
every read checks the role first (lib.roles.require), then calls lib.briefing.
"""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from functools import partial

import pandas as pd
import streamlit as st

from lib import charts
from lib.briefing import orders as ol
from lib.briefing.engineer import engineer_star_months
from lib.briefing.links import ENGINEER, ORDER_LIST, Link
from lib.db.schema import SERVICE_TYPES
from lib.export import csv_bytes, for_readers, ranged_name
from lib.i18n import formatting as fmt
from lib.i18n.places import city_name
from lib.kpi.engineers import FIRST_TIME_FIX_DAYS
from lib.roles import require
from lib.timeutil import now_local
from lib.ui import cache, chart_specs, draw
from lib.ui.filters import as_of_moment
from lib.ui.text import language, listing, plain, t

LOOKUP_URL = "/" + Link("pages/17_Order_Lookup.py").url_path()
ENGINEER_URL = "/" + Link(ENGINEER).url_path()


def _as_of() -> datetime:
    return as_of_moment(now_local(), st.session_state.get("kpi.refreshed_at"))


@st.cache_data(ttl=cache.TTL, show_spinner=False, max_entries=200)
def _page(url: str, q: ol.OrderQuery, as_of: datetime, settings):
    from lib.db import get_engine
    engine = get_engine(url)
    return ol.order_list(engine, q, as_of, settings), ol.order_count(engine, q, as_of, settings)


def _set_param(name: str, key: str, convert=str) -> None:
    value = st.session_state[key]
    params = dict(st.query_params)
    params[name] = convert(value)
    if name != "page":
        params.pop("page", None)
    st.query_params.from_dict({k: v for k, v in params.items() if v not in (None, "")})


def _filter_words(q: ol.OrderQuery, lang: str) -> list[str]:
    cities = dict(zip(cache.cities()["id"], cache.cities()["name"]))
    brands = dict(zip(cache.brands()["id"], cache.brands()["name"]))
    words = [t("kp.range_is", start=fmt.day(q.start, lang), end=fmt.day(q.end, lang))]
    if q.city_ids:
        words.append(t("ol.f.cities", names=listing(plain(cities.get(i, str(i))) for i in q.city_ids)))
    if q.brand_ids:
        words.append(t("ol.f.brands", names=listing(plain(brands.get(i, str(i))) for i in q.brand_ids)))
    if q.service_types:
        words.append(listing(t(f"kp.service_type.{v}") for v in q.service_types))
    if q.sources:
        words.append(listing(t(f"kp.source.{v}") for v in q.sources))
    if q.engineer_id is not None:
        words.append(t("ol.f.engineer", engineer_id=q.engineer_id))
    if q.community_id is not None:
        words.append(t("ol.f.community", community_id=q.community_id))
    if q.sla_state:
        words.append(t(f"ol.sla.{q.sla_state}"))
    if q.due_from or q.due_to:
        words.append(t("ol.f.due", start=fmt.day(q.due_from or q.start, lang),
                       end=fmt.day(q.due_to or q.end, lang)))
    if q.state:
        words.append(t(f"ol.state.{q.state}"))
    return words


def _order_words() -> dict[str, dict[str, str]]:
    """The words for the order list's stored codes, in this session's language; taken
    while the page draws, so the CSV built later on the click needs no session."""
    return {"type": {v: t(f"kp.service_type.{v}") for v in SERVICE_TYPES},
            "status": {v: t(f"ol.state.{v}") for v in ol.STATES},
            "sla": {v: t(f"ol.sla.{v}") for v in ol.SLA_STATES}}


def _in_words(frame: pd.DataFrame, words: dict[str, dict[str, str]], lang: str) -> pd.DataFrame:
    """City, service type, state and promise as a reader of `lang` reads them (table and CSV)."""
    return frame.assign(city=frame["city"].map(lambda v: city_name(v, lang)),
                        type=frame["service_type"].map(lambda v: words["type"].get(v, v)),
                        status=frame["state"].map(lambda v: words["status"].get(v, v)),
                        sla=frame["sla_state"].map(lambda v: words["sla"].get(v, v) if isinstance(v, str) else ""))


def _shown_list(frame: pd.DataFrame, words: dict[str, dict[str, str]], lang: str) -> pd.DataFrame:
    def when(v):
        return "" if v is None or pd.isna(v) else fmt.moment(v, lang)
    return _in_words(frame, words, lang).assign(
        lookup=frame["order_id"].map(lambda i: f"{LOOKUP_URL}?order={int(i)}"),
        engineer_link=[f"{ENGINEER_URL}?engineer={int(e)}" if pd.notna(e) else None
                       for e in frame["engineer_id"]],
        created=frame["created_at"].map(when), due=frame["due_at"].map(when),
        done=frame["completed_at"].map(when))


def order_list_page(ctx) -> None:
    require(ctx.user.actor, "orders.list")
    lang, as_of = ctx.language, _as_of()
    q = ol.from_params(dict(st.query_params.to_dict()), as_of.date())
    st.caption(t("app.data_as_of", moment=fmt.moment(as_of, lang)) + " · " + " · ".join(_filter_words(q, lang)))
    rows, total = _page(cache.db_url(), q, as_of, cache.settings())
    pages = max(1, math.ceil(total / ol.PAGE_SIZE))
    left, middle, right, last = st.columns([2, 1, 1, 2])
    left.metric(t("ol.total"), fmt.number(total, lang), border=True)
    st.session_state["ol.sort"], st.session_state["ol.desc"] = q.sort, q.descending
    st.session_state["ol.page"] = min(q.page, pages)
    middle.selectbox(t("ol.sort"), ol.SORTS, key="ol.sort", format_func=lambda v: t(f"ol.sort.{v}"),
                     on_change=_set_param, args=("sort", "ol.sort"))
    right.toggle(t("ol.descending"), key="ol.desc", on_change=_set_param,
                 args=("asc", "ol.desc", lambda v: "" if v else "1"))
    last.number_input(t("ol.page", pages=pages), min_value=1, max_value=pages, step=1, key="ol.page",
                      on_change=_set_param, args=("page", "ol.page"))
    if rows.empty:
        draw.empty()
        return
    words = _order_words()
    shown = _shown_list(rows, words, lang)
    labels = {"lookup": t("kp.order_id"), "created": t("kp.created_at"), "city": t("kp.city"),
              "community": t("ol.community"), "type": t("ol.service_type"), "brand": t("kp.brand"),
              "engineer_link": t("ol.engineer"), "member": t("ol.member"), "phone": t("ol.phone"),
              "status": t("ol.status"), "due": t("kp.due_at"), "sla": t("ol.sla"),
              "done": t("kp.completed_at")}
    table = shown[list(labels)].rename(columns=labels)
    draw.dataframe(table, hide_index=True, width="stretch", key="ol.table", column_config={
        labels["lookup"]: st.column_config.LinkColumn(display_text=r".*order=(\d+)"),
        labels["engineer_link"]: st.column_config.LinkColumn(display_text=r".*engineer=(\d+)")})
    st.caption(t("ol.page_of", page=min(q.page, pages), pages=pages, size=ol.PAGE_SIZE))
    url = cache.db_url()
    export_labels = {"order_id": labels["lookup"], "created_at": labels["created"], "city": labels["city"],
                     "community": labels["community"], "type": labels["type"], "brand": labels["brand"],
                     "engineer": labels["engineer_link"], "member": labels["member"], "phone": labels["phone"],
                     "status": labels["status"], "due_at": labels["due"], "sla": labels["sla"],
                     "completed_at": labels["done"]}

    def export() -> bytes:  # built only when the button is pressed; headers and values in words
        from lib.db import get_engine
        frame = ol.order_list(get_engine(url), q, as_of, cache.settings(), limit=ol.EXPORT_MAX_ROWS)
        return csv_bytes(for_readers(_in_words(frame, words, lang), export_labels))
    st.download_button(t("ol.export", limit=fmt.number(ol.EXPORT_MAX_ROWS, lang)), export,
                       file_name=ranged_name("orders", q.start, q.end), mime="text/csv", key="ol.download",
                       icon="⬇️", on_click="ignore")


def order_link(query: ol.OrderQuery) -> tuple[str, dict]:
    return ORDER_LIST, query.params()


# -- lookup -----------------------------------------------------------------------------
@st.cache_data(ttl=60, show_spinner=False, max_entries=100)
def _detail(url: str, order_id: int, as_of: datetime, settings):
    from lib.db import get_engine
    return ol.order_detail(get_engine(url), order_id, as_of, settings)


def order_lookup_page(ctx) -> None:
    require(ctx.user.actor, "orders.list")
    lang, as_of = ctx.language, now_local()
    if "order" in st.query_params and "lookup.q" not in st.session_state:
        st.session_state["lookup.q"] = str(st.query_params["order"])[:20]
    text = st.text_input(t("lookup.prompt"), key="lookup.q", max_chars=24,
                         help=t("lookup.help"), placeholder=t("lookup.placeholder"))
    parsed = ol.parse_lookup(text) if text else None
    if not text:
        return
    if parsed is None:
        st.warning(t("lookup.not_understood"))
        return
    kind, value = parsed
    from lib.db import get_engine
    if kind == "phone":
        found = ol.orders_by_phone(get_engine(cache.db_url()), value)
        if found.empty:
            st.info(t("lookup.no_phone"), icon="🔍")
            return
        st.caption(t("lookup.phone_found", phone=found["phone"].iloc[0], count=len(found)))
        choices = dict(zip(found["order_id"], found.itertuples()))
        order_id = st.selectbox(t("lookup.pick"), list(choices), key="lookup.pick", format_func=lambda i: (
            f"#{i} · {fmt.moment(choices[i].created_at, lang)} · {t(f'kp.service_type.{choices[i].service_type}')}"))
    else:
        order_id = int(value)
        st.query_params["order"] = str(order_id)
    detail = _detail(cache.db_url(), int(order_id), as_of, cache.settings())
    if detail is None:
        st.info(t("lookup.no_order", order_id=order_id), icon="🔍")
        return
    show_order(detail, lang)


def show_order(d: ol.OrderDetail, lang: str) -> None:
    st.subheader(t("lookup.order", order_id=d.order_id))
    cards = st.columns(4)
    cards[0].metric(t("ol.service_type"), t(f"kp.service_type.{d.service_type}"), border=True)
    cards[1].metric(t("kp.city"), d.city, border=True, help=d.community)
    state = d.timeline[-1][0]
    cards[2].metric(t("ol.status"), t(f"lookup.event.{state}"), border=True)
    cards[3].metric(t("ol.sla"), t(f"ol.sla.{d.sla_state}") if d.sla_state else t("lookup.not_eligible"),
                    border=True, help=t("lookup.due", due=fmt.moment(d.due_at, lang)) if d.due_at is not None else None)
    st.markdown(t("lookup.people", member=plain(d.member), phone=plain(d.phone), brand=plain(d.brand),
                  category=t(f"brief.word.{d.category}"), fee=fmt.money(d.fee_fen, lang)))
    if d.engineer_id is not None:
        st.page_link(ENGINEER, label=t("lookup.engineer", name=plain(d.engineer)),
                     query_params={"engineer": str(d.engineer_id)}, icon="🧑‍🔧")
    st.markdown(f"##### {t('lookup.timeline')}")
    start = d.timeline[0][1]
    rows = [{"event": t(f"lookup.event.{event}"), "at": fmt.moment(at, lang),
             "after": _duration(at - start, lang) if event != "created" else ""} for event, at in d.timeline]
    if d.due_at is not None:
        rows.append({"event": t("lookup.event.due"), "at": fmt.moment(d.due_at, lang), "after": _duration(d.due_at - start, lang)})
    draw.static_table(pd.DataFrame(rows).rename(columns={"event": t("lookup.event"), "at": t("lookup.at"),
                                                "after": t("lookup.after")}).set_index(t("lookup.event")))
    st.markdown(f"##### {t('lookup.rating')}")
    if d.stars is None:
        st.caption(t("lookup.no_rating"))
    else:
        st.markdown("⭐" * int(d.stars) + f" ({int(d.stars)}/5) · {fmt.moment(d.rated_at, lang)}")
        if d.comment:
            st.markdown(f"> {plain(d.comment)}")
    st.markdown(f"##### {t('lookup.parts')}")
    if d.parts.empty:
        st.caption(t("lookup.no_parts"))
    else:
        parts = d.parts.assign(cost=d.parts["cost_fen"].map(lambda f: fmt.money(int(f), lang)))
        draw.dataframe(parts[["part_name", "qty", "cost"]].rename(columns={
            "part_name": t("lookup.part"), "qty": t("lookup.qty"), "cost": t("lookup.cost")}),
            hide_index=True, width="stretch", key="lookup.parts")


def _duration(delta: timedelta, lang: str) -> str:
    minutes = int(delta.total_seconds() // 60)
    return t("lookup.duration", hours=minutes // 60, minutes=minutes % 60)


# -- one engineer ---------------------------------------------------------------------
def engineer_page(ctx, filters) -> None:
    actor, lang = require(ctx.user.actor, "kpi.engineers"), ctx.language
    table = cache.star_levels(ctx, filters.replace(city_ids=()))
    if table.empty:
        draw.empty()
        return
    names = dict(zip(table["engineer_id"].astype(int), table["name"]))
    wanted = st.query_params.get("engineer")
    if wanted and wanted.isdigit() and int(wanted) in names and st.session_state.get("eng1.pick") != int(wanted):
        st.session_state["eng1.pick"] = int(wanted)
    engineer_id = st.selectbox(t("kp.eng.pick"), list(names), key="eng1.pick",
                               format_func=lambda i: f"{names[i]} (#{i})")
    st.query_params["engineer"] = str(engineer_id)
    detail = cache.engineer_detail(ctx, filters, engineer_id)
    if detail is None:
        draw.empty()
        return
    cards = st.columns(5)
    level = detail.star_level
    cards[0].metric(t("kp.eng.level"), t("kp.eng.unrated") if level is None else t("kp.eng.level_n", n=level), border=True)
    cards[1].metric(t("kp.eng.completed"), fmt.number(detail.completed, lang), border=True)
    cards[2].metric(t("kp.eng.sla"), fmt.percent(detail.sla.compliance, lang), border=True,
                    help=f"{t('kp.sla.met')} {detail.sla.met} / {t('kp.sla.breached')} {detail.sla.breached} / {t('kp.sla.pending')} {detail.sla.pending}")
    cards[3].metric(t("kp.eng.ftf"), fmt.percent(detail.first_time_fix.rate, lang), border=True,
                    help=t("kp.eng.ftf_definition", days=FIRST_TIME_FIX_DAYS))
    if actor.may("kpi.engineer_pay"):  # HR sees levels, not pay
        cards[4].metric(t("kp.eng.payout"), fmt.money(detail.payout_fen, lang), border=True)
    q = ol.OrderQuery(start=filters.start, end=filters.end, engineer_id=engineer_id)
    if actor.may("orders.list"):
        st.page_link(ORDER_LIST, label=t("eng1.orders"), query_params=q.params(), icon="📋")
        breached = q.with_(sla_state="breached")
        st.page_link(ORDER_LIST, label=t("eng1.breached", n=detail.sla.breached), query_params=breached.params(), icon="⏱️")
    months = _star_months(cache.db_url(), engineer_id, filters, cache.settings())
    st.markdown(f"##### {t('eng1.months')}")
    if months.empty:
        draw.empty("kp.eng.no_monthly")
        return
    left, right = st.columns(2)
    with left:
        rated = months.dropna(subset=["avg_stars"])
        if not rated.empty:
            draw.chart(partial(charts.over_time, rated, x="month", y="avg_stars", grain="month",
                               x_title=t("kp.month"), y_title=t("eng1.window_avg")))
    with right:
        levels = months.dropna(subset=["level"])
        if not levels.empty:
            draw.chart(partial(charts.over_time, levels.assign(level=levels["level"].astype(int)),
                               x="month", y="level", grain="month", mark="bar",
                               x_title=t("kp.month"), y_title=t("kp.eng.level")))
    shown = months.assign(level_text=months["level"].map(
        lambda v: t("kp.eng.unrated") if pd.isna(v) else t("kp.eng.level_n", n=int(v))),
        stars=months["avg_stars"].map(lambda v: "–" if pd.isna(v) else fmt.number(round(v, 2), lang)))
    draw.table(shown, labels={"month": t("kp.month"), "ratings": t("kp.eng.ratings"),
                              "stars": t("eng1.window_avg"), "level_text": t("kp.eng.level")},
               export=months.assign(level_text=months["level"], stars=months["avg_stars"]),
               file_name=f"engineer-{engineer_id}-levels.csv", key="eng1.months")


@st.cache_data(ttl=cache.TTL, show_spinner=False, max_entries=100)
def _star_months(url, engineer_id, filters, settings):
    from lib.db import get_engine
    return engineer_star_months(get_engine(url), engineer_id, filters, settings)


# -- from a chart bar to the orders behind it ----------------------------------------------
def drill_chart(recipe, *, key: str, field: str, target, svg: bool = False) -> None:
    """Draw the chart `recipe()` builds (as lib.ui.draw.chart) with a click selection on
    `field`; a click on a bar opens `target(value)` -> (page, query params), e.g. the
    order list of that city."""
    spec = chart_specs.vega_lite(recipe, pick_field=field, svg=svg, context=language())
    event = st.vega_lite_chart(spec=spec, width="stretch", key=key, on_select="rerun",
                               selection_mode="pick")
    points = (event or {}).get("selection", {}).get("pick") or []
    values = [p.get(field) for p in points if isinstance(p, dict) and p.get(field) is not None]
    if values and st.session_state.get(f"{key}.handled") != values:
        st.session_state[f"{key}.handled"] = values
        page, params = target(values[0])
        st.switch_page(page, query_params=params)
    st.caption(t("ol.click_hint"))


def sla_breaches_in_city(filters):
    """target for a city bar of the SLA page: that city's breached installs of the view."""
    def target(city_id):
        q = ol.OrderQuery(start=filters.start, end=filters.end, city_ids=(int(city_id),),
                          brand_ids=filters.brand_ids, sources=filters.sources, sla_state="breached")
        return ORDER_LIST, q.params()
    return target


ORDER_DIMENSIONS = {"city": "city_ids", "brand": "brand_ids", "service_type": "service_types",
                    "source": "sources"}


def orders_of(filters, dimension: str):
    """target for a bar of the orders page: the orders of the view with that value."""
    def target(value):
        q = ol.OrderQuery(start=filters.start, end=filters.end, city_ids=filters.city_ids,
                          brand_ids=filters.brand_ids, service_types=filters.service_types,
                          sources=filters.sources)
        value = int(value) if dimension in ("city", "brand") else str(value)
        return ORDER_LIST, q.with_(**{ORDER_DIMENSIONS[dimension]: (value,)}).params()
    return target


def engineer_link(engineer_id: int) -> None:
    st.page_link(ENGINEER, label=t("eng1.open"), query_params={"engineer": str(int(engineer_id))}, icon="🪪")


def orders_link(filters, label_key: str, **changes) -> None:
    q = ol.OrderQuery(start=filters.start, end=filters.end, city_ids=filters.city_ids,
                      brand_ids=filters.brand_ids, service_types=filters.service_types,
                      sources=filters.sources).with_(**changes)
    st.page_link(ORDER_LIST, label=t(label_key), query_params=q.params(), icon="📋")


def community_order_links(ranking: pd.DataFrame, filters, limit: int = 10) -> None:
    """Under the communities ranking: each ranked community's orders in the view."""
    if ranking.empty:
        return
    with st.expander(t("ol.community_orders"), icon="📋"):
        for row in ranking.head(limit).itertuples():
            q = ol.OrderQuery(start=filters.start, end=filters.end, community_id=int(row.community_id),
                              brand_ids=filters.brand_ids, service_types=filters.service_types,
                              sources=filters.sources)
            st.page_link(ORDER_LIST, label=t("ol.community_link", name=plain(row.name)),
                         query_params=q.params())


# -- response and repair times (beside the order KPIs) ------------------------------------
@st.cache_data(ttl=cache.TTL, show_spinner=False, max_entries=100)
def _response_times(url: str, filters, by: tuple[str, ...]) -> pd.DataFrame:
    from lib.db import get_engine
    from lib.kpi.response_times import MEASURES, response_times
    engine, merged = get_engine(url), None
    for measure in MEASURES:
        frame = response_times(engine, filters, measure=measure, by=by).rename(columns={
            "orders": f"{measure}_orders", "median_s": f"{measure}_median", "p90_s": f"{measure}_p90"})
        merged = frame if merged is None else merged.merge(frame, how="outer", on=list(frame.columns[:len(by) + (1 if "city" in by else 0)]))
    return merged


def _hours(seconds) -> str:
    if seconds is None or pd.isna(seconds):
        return "–"
    minutes = int(seconds) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def response_times_section(ctx, filters) -> None:
    require(ctx.user.actor, "kpi.orders")
    st.subheader(t("rt.heading"))
    st.caption(t("rt.note"))
    # computed when asked (three window-function passes over the range's orders)
    grouping = st.segmented_control(t("rt.by"), ("none", "city", "service_type"), key="rt.by", default="none",
                                    format_func=lambda v: t(f"rt.by.{v}"))
    for by in ((grouping,),) if grouping in ("city", "service_type") else ():
        if True:
            frame = _response_times(cache.db_url(), filters, by)
            if frame is None or frame.empty:
                draw.empty()
                continue
            key = by[0]
            shown = frame.assign(**{f"{m}_{p}_text": frame[f"{m}_{p}"].map(_hours)
                                    for m in ("dispatch", "arrive", "on_site") for p in ("median", "p90")})
            if key == "service_type":
                shown = shown.assign(service_type=shown["service_type"].map(lambda v: t(f"kp.service_type.{v}")))
            labels = {key: t("kp.city") if key == "city" else t("ol.service_type")}
            for m in ("dispatch", "arrive", "on_site"):
                labels[f"{m}_median_text"] = t(f"rt.{m}.median")
                labels[f"{m}_p90_text"] = t(f"rt.{m}.p90")
            labels["dispatch_orders"] = t("rt.orders")
            draw.table(shown, labels=labels, export=shown.assign(**{
                f"{m}_{p}_text": shown[f"{m}_{p}"] for m in ("dispatch", "arrive", "on_site")
                for p in ("median", "p90")}), file_name=f"response-times-by-{key}.csv", key=f"rt.{key}")


# -- the digest log (admins) ---------------------------------------------------------------
DIGEST_LOG_LIMIT = 200


def digest_log_page(ctx) -> None:
    require(ctx.user.actor, "digest.log")
    from lib.digest.run import recent_log
    st.caption(t("dlog.note", limit=DIGEST_LOG_LIMIT))
    rows = recent_log(ctx.engine, DIGEST_LOG_LIMIT)
    if not rows:
        st.info(t("dlog.empty"), icon="📭")
        return
    frame = pd.DataFrame(rows)
    frame["at"] = frame["at"].map(lambda v: fmt.moment(v, ctx.language))
    labels = {name: t(f"dlog.{name}") for name in ("at", "kind", "role", "destination", "channel", "status",
                                                   "attempts", "detail")}
    draw.table(frame, labels=labels, file_name="digest-log.csv", key="dlog.table")
