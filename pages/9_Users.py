"""Admin: the console's users (add, roles, disable, reset password, unlock,
force a password change, see and end sessions)."""
import pandas as pd
import streamlit as st

from lib.auth import sessions, users
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.roles import ROLES
from lib.db.limits import as_user_facing
from lib.ui.admin import error_text
from lib.ui import draw
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import language, listing, t

ctx = page_frame(page_for("pages/9_Users.py"))
actor = ctx.user.actor
if "users_flash" in st.session_state:
    st.success(st.session_state.pop("users_flash"))


def role_label(role: str) -> str:
    return t(f"role.{role}")


def done(text: str) -> None:
    """Show `text` after a rerun, so the lists above show the change."""
    st.session_state["users_flash"] = text
    st.rerun()


def when(value) -> str:
    return fmt.moment(value, language()) if value else t("auth_s.never")


with shown_errors():
    listed = users.list_users(ctx.engine, actor=actor)
    st.subheader(t("users.list"))
    draw.dataframe(pd.DataFrame([{
        t("users.username"): u.username, t("users.display_name"): u.display_name,
        t("users.roles"): listing(role_label(r) for r in u.roles),
        t("users.disabled"): u.disabled, t("users.must_change"): u.must_change_password,
        t("auth_s.locked"): u.locked(), t("auth_s.failed_logins"): u.failed_logins,
        t("auth_s.last_login"): when(u.last_login_at),
    } for u in listed]), hide_index=True, width="stretch")

NEW_USER_FIELDS = ("new_username", "new_display_name", "new_roles", "new_password")
NEW_USER_ERROR = "users_form_error"


def create_from_form() -> None:
    """The form's submit: on success the fields empty; on a refusal they keep what was typed."""
    state = st.session_state
    try:
        created = users.create_user(ctx.engine, actor=actor, username=state.new_username,
                                    display_name=state.new_display_name, roles=state.new_roles,
                                    password=state.new_password)
    except Exception as error:
        known = as_user_facing(error)
        if known is None:
            raise
        state[NEW_USER_ERROR] = error_text(known)
        return
    for key in NEW_USER_FIELDS:
        state.pop(key, None)
    state["users_flash"] = t("users.created", username=created.username)


left, right = st.columns(2)
with left:
    with st.form("add_user"):
        st.subheader(t("users.add"))
        st.text_input(t("users.username"), key="new_username")
        st.text_input(t("users.display_name"), key="new_display_name")
        st.multiselect(t("users.roles"), ROLES, format_func=role_label, key="new_roles",
                       placeholder=t("i18n.choose"))
        st.text_input(t("users.temporary_password"), type="password", key="new_password")
        st.form_submit_button(t("users.create_button"), on_click=create_from_form)
    if NEW_USER_ERROR in st.session_state:
        st.error(st.session_state.pop(NEW_USER_ERROR))

with right:
    st.subheader(t("users.edit"))
    names = [u.username for u in listed]
    chosen = st.selectbox(t("users.pick"), names, key="edit_username")
    target = next((u for u in listed if u.username == chosen), None)
    if target is not None:
        new_roles = st.multiselect(t("users.roles"), ROLES, default=list(target.roles), placeholder=t("i18n.choose"),
                                   format_func=role_label, key=f"roles_{target.username}")
        if st.button(t("users.save_roles"), key="save_roles"):
            with shown_errors():
                users.set_roles(ctx.engine, actor=actor, username=target.username, roles=new_roles)
                st.success(t("users.roles_saved", username=target.username))
        toggle = t("users.enable") if target.disabled else t("users.disable")
        if st.button(toggle, key="toggle_disabled"):
            with shown_errors():
                users.set_disabled(ctx.engine, actor=actor, username=target.username,
                                   disabled=not target.disabled)
                st.success(t("users.enabled_done" if target.disabled else "users.disabled_done",
                             username=target.username))
        temporary = st.text_input(t("users.temporary_password"), type="password", key="reset_password")
        if st.button(t("users.reset"), key="reset_button"):
            with shown_errors():
                users.reset_password(ctx.engine, actor=actor, username=target.username,
                                     temporary_password=temporary)
                st.success(t("users.reset_done", username=target.username))
        if st.button(t("auth_s.unlock"), key="unlock_button", disabled=not target.locked()):
            with shown_errors():
                users.unlock(ctx.engine, actor=actor, username=target.username)
            done(t("auth_s.unlocked", username=target.username))
        if st.button(t("auth_s.force_change"), key="force_change_button"):
            with shown_errors():
                users.require_password_change(ctx.engine, actor=actor, username=target.username)
            done(t("auth_s.force_change_done", username=target.username))

if target is not None:
    st.subheader(t("auth_s.sessions", username=target.username))
    live = {}
    with shown_errors():
        listed_sessions = sessions.list_sessions(ctx.engine, actor=actor, username=target.username)
        draw.dataframe(pd.DataFrame([{
            "#": s.id, t("auth_s.session_client"): s.client or "",
            t("auth_s.session_started"): when(s.created_at),
            t("auth_s.session_seen"): when(s.last_seen_at),
            t("auth_s.session_expires"): when(s.expires_at),
            t("auth_s.session_state"): t("auth_s.session_active" if s.active else "auth_s.session_ended"),
        } for s in listed_sessions]), hide_index=True, width="stretch")
        live = {s.id: t("auth_s.session_option", id=s.id, client=s.client or "?",
                        started=when(s.created_at)) for s in listed_sessions if s.active}
    if live:
        picked = st.selectbox(t("auth_s.session_pick"), list(live), format_func=live.get,
                              key="end_session_pick")
        if st.button(t("auth_s.end_session"), key="end_session_button"):
            with shown_errors():
                ended = sessions.end_session_by_id(ctx.engine, actor=actor, session_id=picked)
                done(t("auth_s.session_ended_done" if ended else "auth_s.session_already_ended",
                       id=picked))
