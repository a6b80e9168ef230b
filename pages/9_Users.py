"""Admin: the console's users (add, roles, disable, reset password)."""
import pandas as pd
import streamlit as st

from lib.auth import users
from lib.navigation import page_for
from lib.roles import ROLES
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import listing, t

ctx = page_frame(page_for("pages/9_Users.py"))
actor = ctx.user.actor


def role_label(role: str) -> str:
    return t(f"role.{role}")


with shown_errors():
    listed = users.list_users(ctx.engine, actor=actor)
    st.subheader(t("users.list"))
    st.dataframe(pd.DataFrame([{
        t("users.username"): u.username, t("users.display_name"): u.display_name,
        t("users.roles"): listing(role_label(r) for r in u.roles),
        t("users.disabled"): u.disabled, t("users.must_change"): u.must_change_password,
    } for u in listed]), hide_index=True, width="stretch")

left, right = st.columns(2)
with left, st.form("add_user", clear_on_submit=True):
    st.subheader(t("users.add"))
    username = st.text_input(t("users.username"), key="new_username")
    display_name = st.text_input(t("users.display_name"), key="new_display_name")
    roles = st.multiselect(t("users.roles"), ROLES, format_func=role_label, key="new_roles",
                           placeholder=t("i18n.choose"))
    password = st.text_input(t("users.temporary_password"), type="password", key="new_password")
    if st.form_submit_button(t("users.create_button")):
        with shown_errors():
            created = users.create_user(ctx.engine, actor=actor, username=username,
                                        display_name=display_name, roles=roles, password=password)
            st.success(t("users.created", username=created.username))

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
