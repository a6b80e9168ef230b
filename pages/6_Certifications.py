"""HR: engineers' certification applications: queue, detail, approve, reject, revoke, history."""
import pandas as pd
import streamlit as st

from lib.commands import certifications as cert_commands
from lib.commands import queries
from lib.db.schema import CATEGORIES
from lib.navigation import page_for
from lib.ui import cache
from lib.ui.admin import (attempt, count_caption, flash, history_table, label, show_flash, waiting,
                          when, yes_no)
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import plain, t

ctx = page_frame(page_for("pages/6_Certifications.py"))
actor = ctx.user.actor
QUEUE_LIMIT = 200
show_flash()


def item(row: dict) -> str:
    score = row["exam_score"] if row["exam_score"] is not None else t("cert.no_score")
    return t("cert.item", id=row["id"], name=row["engineer_name"],
             category=label("category", row["category"]), score=score)


# -- the queue ---------------------------------------------------------------------
queue = []
with shown_errors():
    cities = cache.cities()
    city_names = dict(zip(cities["id"].tolist(), cities["name"].tolist()))
    left, middle, right = st.columns(3)
    city_id = left.selectbox(t("cert.filter_city"), [None, *city_names], key="cert.city",
                             format_func=lambda i: t("adm.all") if i is None else city_names[i])
    category = middle.selectbox(t("cert.filter_category"), [None, *CATEGORIES], key="cert.category",
                                format_func=lambda c: t("adm.all") if c is None else label("category", c))
    min_days = right.number_input(t("cert.filter_waiting"), min_value=0, max_value=3650, value=0, step=1,
                                  key="cert.min_days")
    queue = queries.certification_queue(ctx.engine, actor=actor, city_id=city_id, category=category,
                                        min_waiting_days=int(min_days) or None, limit=QUEUE_LIMIT)
    st.subheader(t("cert.queue"))
    if not queue:
        st.info(t("cert.queue_empty"), icon="🔍")
    else:
        count_caption(queue, QUEUE_LIMIT)
        st.dataframe(pd.DataFrame([{
            t("adm.id"): row["id"], t("cert.engineer"): row["engineer_name"], t("adm.city"): row["city"],
            t("adm.category"): label("category", row["category"]),
            t("cert.score"): row["exam_score"],
            t("cert.id_verified"): yes_no(row["id_verified"]),
            t("cert.work_card_verified"): yes_no(row["work_card_verified"]),
            t("cert.applied_at"): when(row["applied_at"]), t("adm.waiting"): waiting(row),
        } for row in queue]).astype({t("cert.score"): "Int64"}), hide_index=True, width="stretch",
            key="cert.queue_table", placeholder="–")

by_id = {row["id"]: row for row in queue}

# -- approve several ------------------------------------------------------------------
if queue:
    with st.expander(t("cert.batch"), icon="✅"), st.form("cert.batch_form", clear_on_submit=True):
        chosen = st.multiselect(t("cert.batch_pick"), list(by_id), key="cert.batch_pick", placeholder=t("i18n.choose"),
                                format_func=lambda i: item(by_id[i]), help=t("cert.batch_help"))
        if st.form_submit_button(t("cert.batch_button"), key="cert.batch_button", type="primary"):
            def approve_chosen():
                result = cert_commands.approve_certifications(ctx.engine, actor=actor,
                                                              certification_ids=chosen)
                if result.approved:
                    flash("success", t("cert.batch_done", count=len(result.approved), items=", ".join(
                        f"#{d.certification_id}" for d in result.approved)))
                else:
                    flash("warning", t("cert.batch_none"))
                for refusal in result.refused:
                    name = by_id[refusal.certification_id]["engineer_name"] \
                        if refusal.certification_id in by_id else ""
                    flash("warning", t("cert.batch_refused", item=f"#{refusal.certification_id} {name}",
                                       reason=t(refusal.key, **refusal.params)))
            attempt(approve_chosen)

# -- one application ---------------------------------------------------------------------
st.subheader(t("cert.detail"))
left, right = st.columns([2, 1])
picked = left.selectbox(t("cert.pick"), list(by_id), key="cert.pick", format_func=lambda i: item(by_id[i]),
                        index=0 if by_id else None)
lookup = right.number_input(t("cert.lookup"), min_value=0, value=0, step=1, key="cert.lookup")
target = int(lookup) or picked

detail = None
if target:
    with shown_errors():
        detail = queries.certification_detail(ctx.engine, actor=actor, certification_id=int(target))

if detail is not None:
    name = detail["engineer_name"]
    st.markdown(t("cert.engineer_line", name=plain(name), engineer_id=detail["engineer_id"], city=plain(detail["city"]),
                  status=label("status", detail["engineer_status"])))
    columns = st.columns(4)
    columns[0].metric(t("cert.score"), detail["exam_score"] if detail["exam_score"] is not None
                      else t("cert.no_score"), help=t("cert.pass_mark", pass_mark=detail["pass_mark"]))
    columns[1].metric(t("adm.category"), label("category", detail["category"]))
    columns[2].metric(t("cert.id_verified"), yes_no(detail["id_verified"]))
    columns[3].metric(t("cert.work_card_verified"), yes_no(detail["work_card_verified"]))
    st.markdown("\n".join([
        f"- {t('cert.id_card')}: `{detail['id_card_masked']}`",
        f"- {t('cert.phone')}: `{detail['phone_masked']}`",
        f"- {t('cert.exam_taken')}: {when(detail['exam_taken_at'])} · "
        f"{t('cert.pass_mark', pass_mark=detail['pass_mark'])}",
        f"- {t('cert.applied_at')}: {when(detail['applied_at'])} · {t('adm.waiting')}: {waiting(detail)}",
        f"- {t('cert.current_status', status=label('status', detail['status']))}",
    ]))
    if detail["reviewed_by"]:
        st.caption(t("cert.reviewed", by=plain(detail["reviewed_by"]), at=when(detail["reviewed_at"]),
                     note=plain(detail["review_note"] or "–")))

    if detail["status"] == "pending":
        with st.form("cert.decide_form", clear_on_submit=True):
            st.markdown(f"**{t('cert.decide')}**")
            note = st.text_area(t("cert.note"), key="cert.note", max_chars=500, help=t("cert.note_help"))
            approve_col, reject_col = st.columns(2)
            approve = approve_col.form_submit_button(t("cert.approve"), key="cert.approve", type="primary",
                                                     icon="✅", width="stretch")
            reject = reject_col.form_submit_button(t("cert.reject"), key="cert.reject", icon="❌",
                                                   width="stretch")
        if approve:
            def approve_one():
                decision = cert_commands.approve_certification(ctx.engine, actor=actor,
                                                               certification_id=detail["id"], note=note)
                flash("success", t("cert.approved", id=detail["id"], name=name))
                if decision.engineer_activated:
                    flash("info", t("cert.activated", name=name))
                elif decision.engineer_status == "suspended":
                    flash("warning", t("cert.still_suspended", name=name))
            attempt(approve_one)
        if reject:
            def reject_one():
                cert_commands.reject_certification(ctx.engine, actor=actor, certification_id=detail["id"],
                                                   reason=note)
                flash("success", t("cert.rejected", id=detail["id"], name=name))
            attempt(reject_one)

    approved = [{"id": detail["id"], "category": detail["category"]}] if detail["status"] == "approved" else []
    approved += [o for o in detail["other_certifications"] if o["status"] == "approved"]
    with st.expander(t("cert.revoke"), icon="⛔"):
        if not approved:
            st.caption(t("cert.nothing_to_revoke"))
        else:
            with st.form("cert.revoke_form", clear_on_submit=True):
                revoke_id = st.selectbox(t("cert.revoke_pick"), [o["id"] for o in approved], key="cert.revoke_pick",
                                         format_func=lambda i: f"#{i} " + label("category", next(
                                             o["category"] for o in approved if o["id"] == i)))
                revoke_reason = st.text_area(t("adm.reason"), key="cert.revoke_reason", max_chars=500,
                                             help=t("adm.reason_help"))
                if st.form_submit_button(t("cert.revoke_button"), key="cert.revoke_button", icon="⛔"):
                    def revoke_one():
                        cert_commands.revoke_certification(ctx.engine, actor=actor,
                                                           certification_id=int(revoke_id), reason=revoke_reason)
                        flash("success", t("cert.revoked", id=revoke_id, name=name))
                    attempt(revoke_one)

    if detail["other_certifications"]:
        st.markdown(f"**{t('cert.other')}**")
        st.dataframe(pd.DataFrame([{
            t("adm.id"): o["id"], t("adm.category"): label("category", o["category"]),
            t("adm.status"): label("status", o["status"]), t("cert.reviewed_at"): when(o["reviewed_at"]),
        } for o in detail["other_certifications"]]), hide_index=True, width="stretch", key="cert.others")

    with shown_errors():
        this_tab, engineer_tab = st.tabs([t("cert.history"), t("cert.engineer_history")])
        with this_tab:
            history_table(queries.certification_history(ctx.engine, actor=actor, certification_id=detail["id"]),
                          key="cert.history")
        with engineer_tab:
            history_table(queries.engineer_history(ctx.engine, actor=actor, engineer_id=detail["engineer_id"]),
                          key="cert.engineer_history")
