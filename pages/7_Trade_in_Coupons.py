"""Marketing: trade-in requests, the coupon value rules, issuing, rejecting, voiding, the push list."""
from datetime import timedelta

import pandas as pd
import streamlit as st

from lib.commands import coupons as coupon_commands
from lib.commands import queries
from lib.commands.coupon_codes import format_code
from lib.commands.settings import load_settings
from lib.db.schema import CATEGORIES, COUPON_STATUSES
from lib.export import csv_bytes
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.timeutil import now_local
from lib.ui.admin import attempt, count_caption, flash, label, money, show_flash, waiting, when
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import t

ctx = page_frame(page_for("pages/7_Trade_in_Coupons.py"))
actor = ctx.user.actor
settings = load_settings()
QUEUE_LIMIT = 200
today = now_local().date()
show_flash()


def request_item(row: dict) -> str:
    return t("coupon.item", id=row["id"], member=row["member_masked"], category=label("category", row["category"]),
             brand=row["old_brand"], age=row["age_years"], condition=label("condition", row["condition"]))


# -- the queue ----------------------------------------------------------------------
queue = []
with shown_errors():
    st.subheader(t("coupon.queue"))
    category = st.selectbox(t("adm.category"), [None, *CATEGORIES], key="coupon.category",
                            format_func=lambda c: t("adm.all") if c is None else label("category", c))
    queue = queries.trade_in_queue(ctx.engine, actor=actor, category=category, limit=QUEUE_LIMIT,
                                   settings=settings)
    if not queue:
        st.info(t("coupon.queue_empty"), icon="🔍")
    else:
        count_caption(queue, QUEUE_LIMIT)
        st.dataframe(pd.DataFrame([{
            t("adm.id"): r["id"], t("coupon.member"): r["member_masked"], t("coupon.phone"): r["phone_masked"],
            t("adm.category"): label("category", r["category"]), t("coupon.old_brand"): r["old_brand"],
            t("coupon.age"): r["age_years"], t("coupon.condition"): label("condition", r["condition"]),
            t("coupon.reported"): when(r["reported_at"]), t("adm.waiting"): waiting(r),
            t("coupon.rule_value"): money(r["rule_value_fen"]),
            t("coupon.range"): f"{money(r['min_value_fen'])} – {money(r['max_value_fen'])}",
        } for r in queue]), hide_index=True, width="stretch", key="coupon.queue_table")

# -- the rule table -------------------------------------------------------------------
with st.expander(t("coupon.rules"), icon="📐"):
    st.caption(t("coupon.rules_note", percent=fmt.percent(settings.coupon_adjust_fraction, ctx.language, 0),
                 min=money(settings.coupon_min_fen), max=money(settings.coupon_max_fen),
                 days=settings.coupon_validity_days))
    st.dataframe(pd.DataFrame([{
        t("adm.category"): label("category", r["category"]),
        t("coupon.age_band"): (t("coupon.age_band_open", low=r["age_from"]) if r["age_to"] is None
                               else t("coupon.age_band_value", low=r["age_from"], high=r["age_to"])),
        t("coupon.condition"): label("condition", r["condition"]),
        t("coupon.rule_value"): money(r["value_fen"]), t("coupon.min"): money(r["min_fen"]),
        t("coupon.max"): money(r["max_fen"]),
    } for r in settings.coupon_rule_table()]), hide_index=True, width="stretch", key="coupon.rules_table")

# -- issue or reject ----------------------------------------------------------------------
by_id = {r["id"]: r for r in queue}
if by_id:
    st.subheader(t("coupon.handle"))
    picked = st.selectbox(t("coupon.pick"), list(by_id), key="coupon.pick", format_func=lambda i: request_item(by_id[i]))
    request = by_id[picked]
    issue_col, reject_col = st.columns(2)
    with issue_col, st.form("coupon.issue_form", clear_on_submit=True):
        value_yuan = st.number_input(
            t("coupon.value"), min_value=request["min_value_fen"] / 100, max_value=request["max_value_fen"] / 100,
            value=request["rule_value_fen"] / 100, step=1.0, format="%.2f", key=f"coupon.value.{picked}",
            help=t("coupon.value_help", rule=money(request["rule_value_fen"]), low=money(request["min_value_fen"]),
                   high=money(request["max_value_fen"])))
        if st.form_submit_button(t("coupon.issue"), key="coupon.issue", type="primary", icon="🎟️"):
            def issue():
                coupon = coupon_commands.issue_coupon(ctx.engine, actor=actor, trade_in_request_id=picked,
                                                      value_fen=int(round(value_yuan * 100)), settings=settings)
                flash("success", t("coupon.issued", id=picked, value=money(coupon.value_fen),
                                   expires=when(coupon.expires_at)), code=format_code(coupon.code))
            attempt(issue)
    with reject_col, st.form("coupon.reject_form", clear_on_submit=True):
        reason = st.text_area(t("adm.reason"), key="coupon.reject_reason", max_chars=500, help=t("adm.reason_help"))
        if st.form_submit_button(t("coupon.reject"), key="coupon.reject", icon="❌"):
            def reject():
                coupon_commands.reject_trade_in(ctx.engine, actor=actor, trade_in_request_id=picked, reason=reason)
                flash("success", t("coupon.rejected", id=picked))
            attempt(reject)

# -- coupons ------------------------------------------------------------------------------
st.subheader(t("coupon.list"))
left, right = st.columns(2)
period = left.date_input(t("coupon.issued_between"), value=(today - timedelta(days=90), today), key="coupon.period")
status = right.selectbox(t("coupon.status_filter"), [None, *COUPON_STATUSES], key="coupon.status",
                         format_func=lambda s: t("adm.all") if s is None else label("status", s))
issued_from, issued_to = (period[0], period[-1]) if isinstance(period, (tuple, list)) and period else (None, None)

listed = []
with shown_errors():
    summary = queries.coupon_summary(ctx.engine, actor=actor, issued_from=issued_from, issued_to=issued_to)
    columns = st.columns(5)
    for column, name in zip(columns, COUPON_STATUSES):
        column.metric(label("status", name), fmt.number(summary["counts"][name], ctx.language))
    columns[4].metric(t("coupon.redemption_rate"), fmt.percent(summary["redemption_rate"], ctx.language),
                      help=t("coupon.redemption_help"))
    listed = queries.coupon_list(ctx.engine, actor=actor, status=status, issued_from=issued_from,
                                 issued_to=issued_to, limit=QUEUE_LIMIT)
    if not listed:
        st.info(t("coupon.list_empty"), icon="🔍")
    else:
        count_caption(listed, QUEUE_LIMIT)
        st.dataframe(pd.DataFrame([{
            t("adm.id"): c["id"], t("coupon.code"): format_code(c["code"]),
            t("coupon.member"): c["member_masked"], t("coupon.phone"): c["phone_masked"],
            t("coupon.value_col"): money(c["value_fen"]), t("adm.status"): label("status", c["current_status"]),
            t("coupon.issued_at"): when(c["issued_at"]), t("coupon.issued_by"): c["issued_by"],
            t("coupon.expires_at"): when(c["expires_at"]), t("coupon.redeemed_at"): when(c["redeemed_at"]),
            t("coupon.request"): c["trade_in_request_id"],
        } for c in listed]), hide_index=True, width="stretch", key="coupon.list_table")

voidable = {c["id"]: c for c in listed if c["current_status"] == "issued" and c["redeemed_at"] is None}
with st.expander(t("coupon.void"), icon="🚫"):
    if not voidable:
        st.caption(t("coupon.nothing_to_void"))
    else:
        with st.form("coupon.void_form", clear_on_submit=True):
            void_id = st.selectbox(t("coupon.void_pick"), list(voidable), key="coupon.void_pick",
                                   format_func=lambda i: f"#{i} {format_code(voidable[i]['code'])} · "
                                                         f"{voidable[i]['member_masked']} · {money(voidable[i]['value_fen'])}")
            void_reason = st.text_area(t("adm.reason"), key="coupon.void_reason", max_chars=500,
                                       help=t("adm.reason_help"))
            if st.form_submit_button(t("coupon.void_button"), key="coupon.void_button", icon="🚫"):
                def void():
                    coupon_commands.void_coupon(ctx.engine, actor=actor, coupon_id=int(void_id), reason=void_reason)
                    flash("success", t("coupon.voided", id=void_id))
                attempt(void)

# -- the push list ---------------------------------------------------------------------------
st.subheader(t("coupon.export"))
st.caption(t("coupon.export_note"))
with shown_errors():
    push = queries.coupon_push_export(ctx.engine, actor=actor, issued_from=issued_from, issued_to=issued_to,
                                      settings=settings)
    st.caption(t("coupon.export_count", count=len(push)))
    frame = pd.DataFrame(push, columns=["member_id", "phone_masked", "code", "value_yuan", "expires_at"])
    st.download_button(t("coupon.download"), csv_bytes(frame), file_name=f"coupon-push-{today.isoformat()}.csv",
                       mime="text/csv", key="coupon.download", icon="⬇️", on_click="ignore", disabled=not push)
