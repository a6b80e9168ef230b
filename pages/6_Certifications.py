"""HR: engineers' certification applications: queue, detail, approve, reject, revoke, reopen, history."""
import pandas as pd
import streamlit as st

from lib.commands import certifications as cert_commands
from lib.commands import queries, validate_reason
from lib.db.schema import CATEGORIES
from lib.errors import ValidationFailed
from lib.navigation import page_for
from lib.ui import cache, draw
from lib.ui.admin import (count_caption, flash, history_table, label, name, problems_shown, proposal_panel,
                          propose, show_flash, waiting, when, yes_no)
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import t

ctx = page_frame(page_for("pages/6_Certifications.py"))
actor = ctx.user.actor
QUEUE_LIMIT = 200
SELECTED = "cert.selected"
show_flash()


def item(row: dict) -> str:
    score = row["exam_score"] if row["exam_score"] is not None else t("cert.no_score")
    return t("cert.item", id=row["id"], name=row["engineer_name"],
             category=label("category", row["category"]), score=score)


def flag(row: dict) -> str:
    return "✅ " + t("forms.cert.ready") if row["blocker_key"] is None else "⚠️ " + t(row["blocker_key"],
                                                                                     **row["blocker_params"])


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
        draw.dataframe(pd.DataFrame([{
            t("adm.id"): row["id"], t("cert.engineer"): row["engineer_name"], t("adm.city"): row["city"],
            t("adm.category"): label("category", row["category"]),
            t("cert.score"): row["exam_score"],
            t("cert.id_verified"): yes_no(row["id_verified"]),
            t("cert.work_card_verified"): yes_no(row["work_card_verified"]),
            t("forms.cert.approvable"): flag(row),
            t("cert.applied_at"): when(row["applied_at"]), t("adm.waiting"): waiting(row),
        } for row in queue]).astype({t("cert.score"): "Int64"}), hide_index=True, width="stretch",
            key="cert.queue_table", placeholder="–")

by_id = {row["id"]: row for row in queue}

# -- approve several ------------------------------------------------------------------
if queue:
    st.subheader(t("cert.batch"))
    ready = [i for i, row in by_id.items() if row["blocker_key"] is None]
    chosen = st.multiselect(t("cert.batch_pick"), ready, key="cert.batch_pick", select_all=False,
                            placeholder=t("i18n.choose"),
                            filter_mode=None, format_func=lambda i: item(by_id[i]), help=t("cert.batch_help"))

    def some_chosen():
        if not chosen:
            raise ValidationFailed("commands.certification.batch_empty")

    if st.button(t("cert.batch_button"), key="cert.batch_button", type="primary") and not problems_shown(
            some_chosen):
        ids = list(chosen)

        def approve_chosen(_proposal, ids=ids):
            result = cert_commands.approve_certifications(ctx.engine, actor=actor, certification_ids=ids)
            if result.approved:
                flash("success", t("cert.batch_done", count=len(result.approved), items=", ".join(
                    f"#{d.certification_id}" for d in result.approved)), where="cert.batch")
            else:
                flash("warning", t("cert.batch_none"), where="cert.batch")
            for refusal in result.refused:
                flash("warning", t("cert.batch_refused", item=f"#{refusal.certification_id}",
                                   reason=t(refusal.key, **refusal.params)), where="cert.batch")
        propose("cert.batch", t("forms.cert.batch_title", count=len(ids)),
                [name(item(by_id[i])) for i in ids], approve_chosen, clear=("cert.batch_pick",))
    proposal_panel("cert.batch")


# -- one application ---------------------------------------------------------------------
def pick_from_list():
    st.session_state[SELECTED] = st.session_state.get("cert.pick")


def pick_by_number():
    st.session_state[SELECTED] = int(st.session_state.get("cert.lookup") or 0) or None


st.subheader(t("cert.detail"))
left, right = st.columns([2, 1])
left.selectbox(t("cert.pick"), list(by_id), key="cert.pick", format_func=lambda i: item(by_id[i]), index=None,
               placeholder=t("forms.cert.pick_placeholder"), filter_mode=None, on_change=pick_from_list)
right.number_input(t("cert.lookup"), min_value=0, value=0, step=1, key="cert.lookup", on_change=pick_by_number)
target = st.session_state.get(SELECTED)

detail = None
if target:
    with shown_errors():
        detail = queries.certification_detail(ctx.engine, actor=actor, certification_id=int(target))
elif by_id:
    st.caption(t("forms.cert.nothing_open"))

if detail is not None:
    cid, engineer = detail["id"], detail["engineer_name"]
    st.markdown(t("cert.engineer_line", name=name(engineer), engineer_id=detail["engineer_id"],
                  city=name(detail["city"]), status=label("status", detail["engineer_status"])))
    columns = st.columns(4)
    columns[0].metric(t("cert.score"), detail["exam_score"] if detail["exam_score"] is not None
                      else t("cert.no_score"), help=t("cert.pass_mark", pass_mark=detail["pass_mark"]))
    columns[1].metric(t("adm.category"), label("category", detail["category"]))
    columns[2].metric(t("cert.id_verified"), yes_no(detail["id_verified"]))
    columns[3].metric(t("cert.work_card_verified"), yes_no(detail["work_card_verified"]))
    status_line = (f"{t('cert.applied_at')}: {when(detail['applied_at'])} · {t('adm.waiting')}: {waiting(detail)}"
                   if detail["status"] == "pending" else
                   t("forms.cert.decided_line", id=cid, status=label("status", detail["status"]),
                     by=name(detail["reviewed_by"] or "?"), at=when(detail["reviewed_at"])))
    st.markdown("\n".join([
        f"- {t('cert.id_card')}: `{detail['id_card_masked']}`",
        f"- {t('cert.phone')}: `{detail['phone_masked']}`",
        f"- {t('cert.exam_taken')}: {when(detail['exam_taken_at'])} · "
        f"{t('cert.pass_mark', pass_mark=detail['pass_mark'])}",
        f"- {t('forms.cert.application', id=cid)} · {t('cert.current_status', status=label('status', detail['status']))}",
        f"- {status_line}",
    ]))
    if detail["reviewed_by"]:
        st.caption(t("cert.reviewed", by=name(detail["reviewed_by"]), at=when(detail["reviewed_at"]),
                     note=name(detail["review_note"] or "–")))
    summary = [t("forms.cert.line_who", engineer=name(engineer), engineer_id=detail["engineer_id"],
                 city=name(detail["city"])),
               t("forms.cert.line_what", category=label("category", detail["category"]),
                 score=detail["exam_score"] if detail["exam_score"] is not None else t("cert.no_score"),
                 status=label("status", detail["status"]))]

    def decision(section, title_key, command, done_key, text, **extra):
        def act(_proposal, cid=cid, text=text, shown=detail["status"]):
            result = command(ctx.engine, actor=actor, certification_id=cid, expected_status=shown, **{
                ("note" if command is cert_commands.approve_certification else "reason"): text})
            flash("success", t(done_key, id=cid, name=name(engineer)), where="cert.decide")
            if getattr(result, "engineer_activated", False):
                flash("info", t("cert.activated", name=name(engineer)), where="cert.decide")
            elif command is cert_commands.approve_certification and result.engineer_status == "suspended":
                flash("warning", t("cert.still_suspended", name=name(engineer)), where="cert.decide")
        lines = summary + ([t("forms.line_note", reason=name(text.strip()))] if text and text.strip() else [])
        propose("cert.decide", t(title_key, id=cid, name=name(engineer)), lines, act, **extra)

    if detail["status"] == "pending":
        st.markdown(f"**{t('cert.decide')}**")
        blocker = by_id[cid]["blocker_key"] if cid in by_id else None
        if blocker:
            st.warning(t(blocker, **by_id[cid]["blocker_params"]))
        note = st.text_area(t("cert.note"), key=f"cert.note.{cid}", max_chars=500, help=t("cert.note_help"))
        approve_col, reject_col = st.columns(2)
        if approve_col.button(t("cert.approve"), key="cert.approve", type="primary", icon="✅", width="stretch"):
            if not problems_shown(*([lambda: validate_reason(note)] if note.strip() else [])):
                decision("cert.decide", "forms.cert.approve_title", cert_commands.approve_certification,
                         "cert.approved", note, clear=(f"cert.note.{cid}",))
        if reject_col.button(t("cert.reject"), key="cert.reject", icon="❌", width="stretch"):
            if not problems_shown(lambda: validate_reason(note)):
                decision("cert.decide", "forms.cert.reject_title", cert_commands.reject_certification,
                         "cert.rejected", note, clear=(f"cert.note.{cid}",))
    elif detail["status"] in ("approved", "rejected"):
        approve = detail["status"] == "approved"
        st.markdown(f"**{t('cert.revoke' if approve else 'forms.cert.reopen')}**")
        reason = st.text_area(t("adm.reason"), key=f"cert.reason.{cid}", max_chars=500, help=t("adm.reason_help"))
        if st.button(t("cert.revoke_button" if approve else "forms.cert.reopen_button"), key="cert.undo",
                     icon="⛔" if approve else "↩️") and not problems_shown(lambda: validate_reason(reason)):
            decision("cert.decide", "forms.cert.revoke_title" if approve else "forms.cert.reopen_title",
                     cert_commands.revoke_certification if approve else cert_commands.reopen_certification,
                     "cert.revoked" if approve else "forms.cert.reopened", reason, clear=(f"cert.reason.{cid}",))
    proposal_panel("cert.decide")

    if detail["other_certifications"]:
        st.markdown(f"**{t('cert.other')}**")
        draw.dataframe(pd.DataFrame([{
            t("adm.id"): o["id"], t("adm.category"): label("category", o["category"]),
            t("adm.status"): label("status", o["status"]), t("cert.reviewed_at"): when(o["reviewed_at"]),
        } for o in detail["other_certifications"]]), hide_index=True, width="stretch", key="cert.others")
        st.caption(t("forms.cert.other_hint"))

    with shown_errors():
        this_tab, engineer_tab = st.tabs([t("cert.history"), t("cert.engineer_history")])
        with this_tab:
            history_table(queries.certification_history(ctx.engine, actor=actor, certification_id=cid),
                          key="cert.history")
        with engineer_tab:
            history_table(queries.engineer_history(ctx.engine, actor=actor, engineer_id=detail["engineer_id"]),
                          key="cert.engineer_history")
