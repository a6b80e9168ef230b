"""Login through streamlit-authenticator, with the gaps STACK.md lists closed.

- Users live in the database (`lib.auth.users`), not in YAML: the library's
  credential check is replaced on the instance by ours, which counts failures,
  locks accounts for a while and takes the same time for unknown users.
- Every run re-checks the session against the database, so logging out,
  a password change, a role change or disabling ends every session of that
  user, and a copied cookie issued before that moment no longer opens a page.
"""
from __future__ import annotations

import time

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from lib import config
from lib.auth.users import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    User,
    authenticate,
    change_own_password,
    end_sessions,
    now_ms,
    session_user,
)
from lib.errors import UserFacingError
from lib.ui.text import t

COOKIE_NAME = "service_console_auth"
COOKIE_EXPIRY_DAYS = 1.0
USERNAME_KEY, ISSUED_KEY, COOKIE_PENDING_KEY = "console_username", "console_issued_ms", "cookie_pending"
SIGNED_OUT_KEY = "console_signed_out"  # this browser session signed out: ignore its cookie


def _authenticator(engine) -> stauth.Authenticate:
    authenticator = stauth.Authenticate(
        {"usernames": {}}, COOKIE_NAME, config.cookie_key(), COOKIE_EXPIRY_DAYS,
        auto_hash=False, login_sleep_time=0)
    model = authenticator.authentication_controller.authentication_model

    def check_credentials(username: str, password: str) -> bool:
        user = authenticate(engine, username=username, password=password)
        if user is None:
            return False
        model.credentials["usernames"][user.username] = _credentials_entry(user)
        _start_session(user.username, now_ms())
        st.session_state[COOKIE_PENDING_KEY] = True
        st.session_state.pop(SIGNED_OUT_KEY, None)
        return True

    model.check_credentials = check_credentials
    # The cookie was already judged by `_cookie_user` (against the database);
    # the library must not log in from it on its own.
    authenticator.cookie_controller.cookie_model.get_cookie = lambda: None
    return authenticator


def _credentials_entry(user: User) -> dict:
    return {"name": user.display_name, "password": "", "roles": list(user.roles), "email": None}


def _start_session(username: str, issued_ms: int) -> None:
    st.session_state[USERNAME_KEY] = username
    st.session_state[ISSUED_KEY] = issued_ms


def _clear_session() -> None:
    for key in (USERNAME_KEY, ISSUED_KEY, "authentication_status", "username", "name", "roles"):
        st.session_state.pop(key, None)


def _cookie_claims() -> dict | None:
    token = st.context.cookies.get(COOKIE_NAME)
    if not token:
        return None
    try:
        claims = jwt.decode(token, config.cookie_key(), algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    if not isinstance(claims.get("username"), str) or claims.get("exp_date", 0) < time.time():
        return None
    return claims


def _cookie_user(engine) -> User | None:
    """The user of this browser's login cookie, admitted in this very run.

    The cookie arrives with the WebSocket handshake (`st.context.cookies`), so
    a signed-in page load needs no CookieManager component, whose value would
    come back from the browser and run the script a second time.
    """
    claims = _cookie_claims()
    if not claims:
        return None
    issued_ms = int((claims["exp_date"] - COOKIE_EXPIRY_DAYS * 86400) * 1000)
    user = session_user(engine, username=claims["username"], issued_ms=issued_ms)
    if user is not None:
        _admit(user, issued_ms)
    return user


def _admit(user: User, issued_ms: int) -> None:
    st.session_state.update(authentication_status=True, username=user.username,
                            name=user.display_name, roles=list(user.roles))
    _start_session(user.username, issued_ms)


def current_user(engine) -> User | None:
    """The signed-in user of this session, re-checked against the database."""
    username, issued_ms = st.session_state.get(USERNAME_KEY), st.session_state.get(ISSUED_KEY)
    if not username or not st.session_state.get("authentication_status"):
        return None
    user = session_user(engine, username=username, issued_ms=issued_ms)
    if user is None:
        _clear_session()
        st.session_state["session_ended"] = True
    return user


def require_user(engine) -> User:
    """The signed-in user, or the login form and a stop."""
    user = current_user(engine)
    if user is not None:
        _set_pending_cookie(engine)
        return user
    if not st.session_state.get(SIGNED_OUT_KEY):
        user = _cookie_user(engine)
        if user is not None:
            return user
    if st.session_state.pop("session_ended", False):
        st.info(t("auth.session_ended"))
    authenticator = _authenticator(engine)
    fields = {"Form name": t("auth.login_title"), "Username": t("auth.username"),
              "Password": t("auth.password"), "Login": t("auth.login_button")}
    try:
        authenticator.login(location="main", fields=fields, key="login")
    except LoginError:
        st.session_state["authentication_status"] = False
    if st.session_state.get("authentication_status") and current_user(engine):
        st.rerun()  # draw the page without the form; the cookie is set on that run
    if st.session_state.get("authentication_status") is False:
        st.error(t("auth.login_failed", attempts=MAX_FAILED_LOGINS,
                   minutes=int(LOCKOUT.total_seconds() // 60)))
    st.stop()


def _set_pending_cookie(engine) -> None:
    # Set the login cookie on the first run after login, not during the login
    # run itself: that run ends in a rerun, which would drop the component.
    if st.session_state.pop(COOKIE_PENDING_KEY, False):
        _authenticator(engine).cookie_controller.set_cookie()


def logout_button(engine, username: str) -> None:
    if st.sidebar.button(t("auth.logout"), key="logout_button", width="stretch"):
        end_sessions(engine, username=username)
        _clear_session()
        st.session_state[SIGNED_OUT_KEY] = True
        st.rerun()


def change_password_form(engine, user: User) -> None:
    with st.form("change_password"):
        st.subheader(t("auth.change_password"))
        current = st.text_input(t("auth.current_password"), type="password")
        new = st.text_input(t("auth.new_password"), type="password")
        repeat = st.text_input(t("auth.repeat_password"), type="password")
        if not st.form_submit_button(t("auth.change_password")):
            return
    if new != repeat:
        st.error(t("auth.passwords_differ"))
        return
    try:
        change_own_password(engine, username=user.username, current_password=current,
                            new_password=new)
    except UserFacingError as error:
        st.error(t(error.key, **error.params))
        return
    _clear_session()
    st.session_state[SIGNED_OUT_KEY] = True
    st.success(t("auth.password_changed"))
