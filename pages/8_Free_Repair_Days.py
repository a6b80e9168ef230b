"""Marketing: plan free-repair days for communities, cancel them, see the calendar and past results."""
from datetime import datetime, timedelta
from functools import partial

import pandas as pd
import streamlit as st

from lib.commands import free_repair_days as event_commands
from lib.commands import queries, validate_reason
from lib.commands.settings import load_settings
from lib.i18n import formatting as fmt
from lib.kpi.filters import KpiFilters
from lib.navigation import page_for
from lib.ui import cache, draw
from lib.ui.admin import (count_caption, day, event_calendar, flash, label, name, problems_shown,
                          proposal_panel, propose, show_flash, when)
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import listing, t

ctx = page_frame(page_for("pages/8_Free_Repair_Days.py"))
actor = ctx.user.actor
lang = ctx.language
today = event_commands.today_local()
settings = load_settings()
RANKING_LIMIT = 30
SEARCH_LIMIT = 50
LIST_LIMIT = 200
show_flash()

# -- plan ----------------------------------------------------------------------------
st.subheader(t("frd.plan"))
communities = pd.DataFrame()
with shown_errors():
    city_names = dict(zip(cache.cities()["id"].tolist(), cache.cities()["name"].tolist()))
    # Maintenance due as of the start of today (cached for the day), orders of the last 30 days.
    as_of_today = KpiFilters(start=today - timedelta(days=29), end=today,
                             as_of=datetime.combine(today, datetime.min.time()))
    search = st.text_input(t("frd.search"), key="frd.search", max_chars=50).strip()
    if search:
        heat = cache.community_heat(ctx, as_of_today)
        communities = heat[heat["name"].str.contains(search, case=False, regex=False)].head(SEARCH_LIMIT)
    else:
        communities = cache.maintenance_ranking(ctx, as_of_today, RANKING_LIMIT)
        st.caption(t("frd.ranking_note"))
    linked = st.query_params.get("community", "")  # from the community map: ?community=ID
    if linked.isdigit() and not search:
        heat = cache.community_heat(ctx, as_of_today)
        chosen = heat[heat["community_id"] == int(linked)]
        if len(chosen):
            communities = pd.concat([chosen, communities[communities["community_id"] != int(linked)]])
            if st.session_state.get("frd.linked") != linked:
                st.session_state["frd.community"], st.session_state["frd.linked"] = int(linked), linked

rows = {int(r.community_id): r for r in communities.itertuples()} if not communities.empty else {}
if not rows:
    st.info(t("frd.no_community"), icon="🔍")
else:
    community_id = st.selectbox(
        t("frd.community"), list(rows), key="frd.community",
        format_func=lambda i: t("frd.community_item", name=rows[i].name, city=city_names.get(rows[i].city_id, ""),
                                due=fmt.number(int(rows[i].maintenance_due), lang),
                                members=fmt.number(int(rows[i].members), lang)))
    community = rows[community_id]
    left, right = st.columns(2)
    event_date = left.date_input(t("frd.date"), value=today + timedelta(days=7), key="frd.date")
    services = right.multiselect(t("frd.services"), list(event_commands.SERVICES), default=["cleaning"],
                                 placeholder=t("i18n.choose"),
                                 key="frd.services", format_func=lambda s: label("service", s))
    eligible = []
    with shown_errors():
        eligible = queries.eligible_engineers(ctx.engine, actor=actor, city_id=int(community.city_id),
                                      event_date=event_date, services=services)
    people = {e["id"]: e for e in eligible}
    if services and not people:
        st.warning(t("frd.no_engineers"))
    capacity = st.number_input(t("frd.capacity"), value=50, step=10, key="frd.capacity",
                               help=t("forms.frd.capacity_help", maximum=settings.event_max_capacity))
    capacity_ok = not problems_shown(lambda: event_commands.validate_capacity(capacity, settings=settings))
    team = st.multiselect(
        t("frd.engineers"), list(people), key="frd.engineers", help=t("frd.engineers_help"),
        select_all=False, max_selections=settings.event_max_engineers, filter_mode="contains",
        placeholder=t("i18n.choose"),
        format_func=lambda i: t("frd.engineer_item", name=people[i]["name"], phone=people[i]["phone_masked"],
                                categories=listing(label("category", c) for c in people[i]["categories"])))
    if st.button(t("frd.plan_button"), key="frd.plan_button", type="primary", icon="📅") and capacity_ok:
        checks = (lambda: event_commands.validate_event_date(event_date, today=today, settings=settings),
                  lambda: event_commands.validate_services(services),
                  lambda: event_commands.validate_engineer_ids(team, settings=settings))
        if not problems_shown(*checks):
            chosen = dict(community_id=community_id, event_date=event_date, services=list(services),
                          capacity=int(capacity), engineer_ids=list(team))
            place = community.name

            def plan(_proposal, chosen=chosen, place=place):
                event = event_commands.plan_free_repair_day(ctx.engine, actor=actor, **chosen)
                flash("success", t("frd.planned", community=name(place), date=day(event.event_date),
                                   id=event.free_repair_day_id), where="frd.plan")
            propose("frd.plan", t("forms.frd.plan_title", community=name(place), date=day(event_date)), [
                t("forms.frd.line_services", services=listing(label("service", x) for x in services)),
                t("forms.frd.line_capacity", capacity=int(capacity)),
                t("forms.frd.line_team", count=len(team),
                  names=listing(name(people[i]["name"]) for i in team)),
            ], plan, clear=("frd.engineers",))
    proposal_panel("frd.plan")

# -- the events ---------------------------------------------------------------------------
st.subheader(t("frd.events"))
window = st.date_input(t("frd.window"), value=(today - timedelta(days=730), today + timedelta(days=365)),
                       key="frd.window")
events = []
if isinstance(window, (tuple, list)) and len(window) == 2:
    with shown_errors():
        events = queries.free_repair_day_list(ctx.engine, actor=actor, date_from=window[0], date_to=window[1],
                                              limit=LIST_LIMIT)
if not events:
    st.info(t("frd.events_empty"), icon="🔍")
else:
    count_caption(events, LIST_LIMIT)
    list_tab, calendar_tab = st.tabs([t("frd.events"), t("frd.calendar")])
    with list_tab:
        draw.dataframe(pd.DataFrame([{
            t("adm.id"): e["id"], t("frd.event_date"): day(e["event_date"]), t("adm.city"): e["city"],
            t("frd.community"): e["community"], t("adm.status"): label("status", e["status"]),
            t("frd.services"): listing(label("service", s) for s in e["services"]),
            t("frd.capacity_col"): e["capacity"], t("frd.engineer_count"): e["engineers"],
            t("frd.orders"): e["orders"], t("frd.planned_by"): e["planned_by"],
        } for e in events]), hide_index=True, width="stretch", key="frd.list_table")
    with calendar_tab:
        draw.chart(partial(event_calendar, pd.DataFrame([{
            "id": e["id"], "event_date": pd.Timestamp(e["event_date"]), "city": e["city"],
            "community": e["community"], "status_label": label("status", e["status"])} for e in events])))

by_id = {e["id"]: e for e in events}


def event_item(i: int) -> str:
    e = by_id[i]
    return t("frd.event_item", id=i, date=day(e["event_date"]), community=e["community"],
             status=label("status", e["status"]))


# -- cancel, uncancel -------------------------------------------------------------------------


def decide_event(section, ids, picker, button, title_key, done_key, command, expected, empty_key):
    st.subheader(t(section))
    if not ids:
        st.caption(t(empty_key))
        proposal_panel(section)
        return
    picked = st.selectbox(t(picker), ids, key=f"{section}.pick", format_func=event_item, filter_mode=None)
    reason = st.text_area(t("adm.reason"), key=f"{section}.reason", max_chars=500, help=t("adm.reason_help"))
    if st.button(t(button), key=f"{section}.button", icon="🚫" if expected == "planned" else "↩️") \
            and not problems_shown(lambda: validate_reason(reason)):
        event = by_id[picked]

        def act(_proposal, event_id=picked, reason=reason):
            command(ctx.engine, actor=actor, free_repair_day_id=event_id, reason=reason,
                    expected_status=expected)
            flash("success", t(done_key, id=event_id, date=day(event["event_date"]),
                               community=name(event["community"])), where=section)
        propose(section, t(title_key, id=picked, date=day(event["event_date"]), community=name(event["community"])), [
            t("forms.frd.line_where", city=name(event["city"]), community=name(event["community"])),
            t("forms.frd.line_state", status=label("status", event["status"]), engineers=event["engineers"],
              orders=event["orders"]),
            t("forms.line_reason", reason=name(reason.strip())),
        ], act, clear=(f"{section}.reason",))
    proposal_panel(section)


decide_event("frd.cancel", [e["id"] for e in events if e["status"] == "planned"], "frd.cancel_pick",
             "frd.cancel_button", "forms.frd.cancel_title", "forms.frd.cancelled",
             event_commands.cancel_free_repair_day, "planned", "frd.nothing_to_cancel")
decide_event("forms.frd.uncancel", [e["id"] for e in events if e["status"] == "cancelled"
                                    and e["event_date"] >= today],
             "forms.frd.uncancel_pick", "forms.frd.uncancel_button", "forms.frd.uncancel_title",
             "forms.frd.uncancelled", event_commands.uncancel_free_repair_day, "cancelled",
             "forms.frd.nothing_to_uncancel")

# -- results of a past event ----------------------------------------------------------------------
st.subheader(t("frd.results"))
past = [e["id"] for e in reversed(events) if e["event_date"] < today and e["status"] != "cancelled"]
if not past:
    st.caption(t("frd.no_past"))
else:
    chosen = st.selectbox(t("frd.results_pick"), past, key="frd.results_pick", format_func=event_item)
    with shown_errors():
        detail = queries.free_repair_day_detail(ctx.engine, actor=actor, free_repair_day_id=int(chosen))
        columns = st.columns(4)
        columns[0].metric(t("frd.result_orders"), fmt.number(detail["order_count"], lang))
        columns[1].metric(t("frd.result_completed"), fmt.number(detail["completed"], lang))
        columns[2].metric(t("frd.result_ratings"), fmt.number(detail["ratings"], lang))
        columns[3].metric(t("frd.result_stars"), "–" if detail["avg_stars"] is None
                          else fmt.number(round(detail["avg_stars"], 2), lang))
        if detail["engineers"]:
            st.markdown(f"**{t('frd.team')}**")
            draw.dataframe(pd.DataFrame([{
                t("adm.id"): p["id"], t("cert.engineer"): p["name"], t("cert.phone"): p["phone_masked"],
                t("adm.status"): label("status", p["status"])} for p in detail["engineers"]]),
                hide_index=True, width="stretch", key="frd.team_table")
        if not detail["orders"]:
            st.caption(t("frd.no_orders"))
        else:
            draw.dataframe(pd.DataFrame([{
                t("frd.order_id"): o["id"], t("adm.category"): label("category", o["category"]),
                t("frd.service_type"): t(f"kp.service_type.{o['service_type']}"),
                t("frd.created_at"): when(o["created_at"]), t("frd.completed_at"): when(o["completed_at"]),
                t("frd.stars"): "⭐" * o["stars"] if o["stars"] else "", t("frd.comment"): o["comment"] or "",
            } for o in detail["orders"]]), hide_index=True, width="stretch", key="frd.orders_table")
