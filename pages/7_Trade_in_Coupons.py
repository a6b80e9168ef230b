"""Marketing: trade-in requests, the coupon value rules, issuing, rejecting, voiding, the push list."""
from datetime import timedelta

import pandas as pd
import streamlit as st

from lib.commands import coupons as coupon_commands
from lib.commands import queries, validate_reason
from lib.commands.coupon_codes import format_code
from lib.commands.settings import load_settings
from lib.db.schema import CATEGORIES, COUPON_STATUSES
from lib.export import for_readers, ranged_name
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.timeutil import now_local
from lib.ui.admin import (count_caption, exported_csv, flash, label, money, name, problems_shown,
                          proposal_panel, propose, show_flash, waiting, when)
from lib.ui import draw
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
        draw.dataframe(pd.DataFrame([{
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
    draw.dataframe(pd.DataFrame([{
        t("adm.category"): label("category", r["category"]),
        t("coupon.age_band"): (t("coupon.age_band_open", low=r["age_from"]) if r["age_to"] is None
                               else t("coupon.age_band_value", low=r["age_from"], high=r["age_to"])),
        t("coupon.condition"): label("condition", r["condition"]),
        t("coupon.rule_value"): money(r["value_fen"]), t("coupon.min"): money(r["min_fen"]),
        t("coupon.max"): money(r["max_fen"]),
    } for r in settings.coupon_rule_table()]), hide_index=True, width="stretch", key="coupon.rules_table")

# -- issue or reject ----------------------------------------------------------------------
by_id = {r["id"]: r for r in queue}
LAST = "coupon.last_issued"


def void_this(coupon_id: int) -> None:
    st.session_state["coupon.void_pick"] = coupon_id


st.subheader(t("coupon.handle"))
last = st.session_state.get(LAST)
if last:  # the decided record's new state, with the way back
    with st.container(border=True, key="coupon.last_box"):
        st.markdown(t("forms.coupon.last", id=last["request_id"], value=money(last["value_fen"]),
                      code=format_code(last["code"]), expires=when(last["expires_at"]),
                      coupon_id=last["coupon_id"]))
        st.button(t("forms.coupon.void_this"), key="coupon.void_this", icon="🚫", on_click=void_this,
                  args=(last["coupon_id"],))
if by_id:
    picked = st.selectbox(t("coupon.pick"), list(by_id), key="coupon.pick", filter_mode=None,
                          format_func=lambda i: request_item(by_id[i]))
    request = by_id[picked]
    issue_col, reject_col = st.columns(2)
    with issue_col:
        bounds = t("forms.coupon.bounds", low=money(request["min_value_fen"]), high=money(request["max_value_fen"]),
                   rule=money(request["rule_value_fen"]))
        typed = st.text_input(t("forms.coupon.value", bounds=bounds), value=str(request["rule_value_fen"] // 100),
                              key=f"coupon.value.{picked}", max_chars=12, help=t("forms.coupon.value_help"))
        value_ok = not problems_shown(lambda: coupon_commands.parse_yuan(
            typed, rule_fen=request["rule_value_fen"], settings=settings))
        if st.button(t("coupon.issue"), key="coupon.issue", type="primary", icon="🎟️") and value_ok:
            value_fen = coupon_commands.parse_yuan(typed, rule_fen=request["rule_value_fen"], settings=settings)

            def issue(proposal, request_id=picked, value_fen=value_fen):
                coupon = coupon_commands.issue_coupon(ctx.engine, actor=actor, trade_in_request_id=request_id,
                                                      value_fen=value_fen, settings=settings,
                                                      expected_status="pending", attempt=proposal.attempt)
                flash("success", t("coupon.issued", id=request_id, value=money(coupon.value_fen),
                                   expires=when(coupon.expires_at)), code=format_code(coupon.code),
                      where="coupon.handle")
                st.session_state[LAST] = {"request_id": request_id, "coupon_id": coupon.coupon_id,
                                          "code": coupon.code, "value_fen": coupon.value_fen,
                                          "expires_at": coupon.expires_at}
            propose("coupon.handle", t("forms.coupon.issue_title", id=picked, value=money(value_fen)), [
                name(request_item(request)),
                t("forms.coupon.line_value", value=money(value_fen), rule=money(request["rule_value_fen"])),
                t("forms.coupon.line_valid", days=settings.coupon_validity_days),
            ], issue, clear=(f"coupon.value.{picked}",))
    with reject_col:
        reason = st.text_area(t("adm.reason"), key=f"coupon.reject_reason.{picked}", max_chars=500,
                              help=t("adm.reason_help"))
        if st.button(t("coupon.reject"), key="coupon.reject", icon="❌") and \
                not problems_shown(lambda: validate_reason(reason)):
            def reject(_proposal, request_id=picked, reason=reason):
                coupon_commands.reject_trade_in(ctx.engine, actor=actor, trade_in_request_id=request_id,
                                                reason=reason, expected_status="pending")
                flash("success", t("coupon.rejected", id=request_id), where="coupon.handle")
            propose("coupon.handle", t("forms.coupon.reject_title", id=picked), [
                name(request_item(request)), t("forms.line_reason", reason=name(reason.strip()))],
                reject, clear=(f"coupon.reject_reason.{picked}",))
proposal_panel("coupon.handle")

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
    for column, status_name in zip(columns, COUPON_STATUSES):
        column.metric(label("status", status_name), fmt.number(summary["counts"][status_name], ctx.language))
    columns[4].metric(t("coupon.redemption_rate"), fmt.percent(summary["redemption_rate"], ctx.language),
                      help=t("coupon.redemption_help"))
    listed = queries.coupon_list(ctx.engine, actor=actor, status=status, issued_from=issued_from,
                                 issued_to=issued_to, limit=QUEUE_LIMIT)
    if not listed:
        st.info(t("coupon.list_empty"), icon="🔍")
    else:
        count_caption(listed, QUEUE_LIMIT)
        draw.dataframe(pd.DataFrame([{
            t("adm.id"): c["id"], t("coupon.code"): format_code(c["code"]),
            t("coupon.member"): c["member_masked"], t("coupon.phone"): c["phone_masked"],
            t("coupon.value_col"): money(c["value_fen"]), t("adm.status"): label("status", c["current_status"]),
            t("coupon.issued_at"): when(c["issued_at"]), t("coupon.issued_by"): c["issued_by"],
            t("coupon.expires_at"): when(c["expires_at"]), t("coupon.redeemed_at"): when(c["redeemed_at"]),
            t("coupon.request"): c["trade_in_request_id"],
        } for c in listed]), hide_index=True, width="stretch", key="coupon.list_table")

voidable = {c["id"]: c for c in listed if c["current_status"] == "issued" and c["redeemed_at"] is None}
st.subheader(t("coupon.void"))
if not voidable:
    st.caption(t("coupon.nothing_to_void"))
else:
    if st.session_state.get("coupon.void_pick") not in voidable:
        st.session_state.pop("coupon.void_pick", None)
    void_id = st.selectbox(t("coupon.void_pick"), list(voidable), key="coupon.void_pick", filter_mode=None,
                           format_func=lambda i: f"#{i} {format_code(voidable[i]['code'])} · "
                                                 f"{voidable[i]['member_masked']} · {money(voidable[i]['value_fen'])}")
    void_reason = st.text_area(t("adm.reason"), key="coupon.void_reason", max_chars=500, help=t("adm.reason_help"))
    if st.button(t("coupon.void_button"), key="coupon.void_button", icon="🚫") and \
            not problems_shown(lambda: validate_reason(void_reason)):
        chosen = voidable[void_id]

        def void(_proposal, coupon_id=void_id, reason=void_reason):
            coupon_commands.void_coupon(ctx.engine, actor=actor, coupon_id=coupon_id, reason=reason,
                                        expected_status="issued")
            flash("success", t("coupon.voided", id=coupon_id), where="coupon.void")
            if (st.session_state.get(LAST) or {}).get("coupon_id") == coupon_id:
                st.session_state.pop(LAST, None)
        propose("coupon.void", t("forms.coupon.void_title", id=void_id), [
            t("forms.coupon.line_coupon", code=format_code(chosen["code"]), member=name(chosen["member_masked"]),
              value=money(chosen["value_fen"]), request=chosen["trade_in_request_id"]),
            t("forms.line_reason", reason=name(void_reason.strip()))], void, clear=("coupon.void_reason",))
proposal_panel("coupon.void")

# -- the push list ---------------------------------------------------------------------------
st.subheader(t("coupon.export"))
st.caption(t("coupon.export_note"))
with shown_errors():
    push = queries.coupon_push_export(ctx.engine, actor=actor, issued_from=issued_from, issued_to=issued_to,
                                      settings=settings)
    st.caption(t("coupon.export_count", count=len(push)))
    push_labels = {"member_id": t("coupon.member_no"), "phone_masked": t("coupon.phone"),
                   "code": t("coupon.code"), "value_fen": t("coupon.value_col"), "expires_at": t("coupon.expires_at")}
    units = fmt.export_units(ctx.language)

    def push_list() -> pd.DataFrame:  # headers from the catalogue, the value in yuan under a (yuan) header
        frame = pd.DataFrame(queries.coupon_push_export(ctx.engine, actor=actor, issued_from=issued_from,
                                                        issued_to=issued_to, settings=settings),
                             columns=["member_id", "phone_masked", "code", "value_yuan", "expires_at"])
        frame = frame.assign(value_fen=(frame["value_yuan"] * 100).round())
        return for_readers(frame, push_labels, fen=("value_fen",), **units)
    st.download_button(t("coupon.download"), exported_csv(
        push_list, engine=ctx.engine, actor=actor, page="Trade_in_Coupons", what="coupon push list"),
        file_name=ranged_name("coupon-push", issued_from or today, issued_to or today), mime="text/csv",
        key="coupon.download", icon="⬇️", on_click="ignore", disabled=not push)
