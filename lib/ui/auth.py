"""Login through streamlit-authenticator, with the gaps STACK.md lists closed.

- Users live in the database (`lib.auth.users`), not in YAML: the library's
  credential check is replaced on the instance by ours, which counts failures
  atomically, locks accounts for a while and takes the same time for unknown
  users.
- Each sign-in opens a session the console owns (`lib.auth.sessions`); its id
  is in the cookie's signed claims. Every run re-checks the session against
  the database, so signing out (this browser), "sign out everywhere", an admin
  ending the session, a password or role change or disabling all take effect
  on the next run, and a copied cookie of an ended session opens nothing.
- A signed-in page load is admitted from the cookie in its first run
  (`st.context.cookies`), without building the authenticator: its
  CookieManager component would send a value back and run the script twice.
  The login form and setting the cookie still go through the library.
"""
from __future__ import annotations

import functools

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from lib import config
from lib.auth.sessions import (
    SESSION_DAYS,
    cookie_user,
    encode_claims,
    end_session,
    session_user,
    start_session,
)
from lib.auth.users import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    User,
    authenticate,
    change_own_password,
    end_sessions,
)
from lib.errors import UserFacingError
from lib.ui.text import t

COOKIE_NAME = "service_console_auth"
COOKIE_EXPIRY_DAYS = SESSION_DAYS
SID_KEY, COOKIE_PENDING_KEY = "console_sid", "cookie_pending"
USERNAME_KEY = "username"  # the signed-in user's name (set with the session; cleared on sign-out)
SIGNED_OUT_KEY = "console_signed_out"  # this browser session signed out: ignore its cookie
PASSWORD_FORM_KEY = "console_change_password"  # the user asked to change the password
PASSWORD_CHANGED_KEY = "console_password_changed"


def _authenticator(engine) -> stauth.Authenticate:
    authenticator = stauth.Authenticate(
        {"usernames": {}}, COOKIE_NAME, config.cookie_key(), COOKIE_EXPIRY_DAYS,
        auto_hash=False, login_sleep_time=0)
    model = authenticator.authentication_controller.authentication_model
    cookies = authenticator.cookie_controller.cookie_model

    def check_credentials(username: str, password: str) -> bool:
        user = authenticate(engine, username=username, password=password)
        if user is None:
            return False
        model.credentials["usernames"][user.username] = _credentials_entry(user)
        sid, _ = start_session(engine, user=user, client=_client())
        st.session_state[SID_KEY] = sid
        st.session_state[COOKIE_PENDING_KEY] = True
        st.session_state.pop(SIGNED_OUT_KEY, None)
        return True

    model.check_credentials = check_credentials
    # The cookie was already judged by `_cookie_user` (against the database);
    # the library must not log in from it on its own.
    cookies.get_cookie = lambda: None
    # The library's claims plus the session id; SameSite=Strict, Secure by setting.
    cookies._token_encode = lambda: encode_claims(
        username=st.session_state["username"], sid=st.session_state[SID_KEY],
        key=config.cookie_key())
    cookies.cookie_manager.set = functools.partial(
        cookies.cookie_manager.set, same_site="strict", secure=config.cookie_secure() or None)
    return authenticator


def _client() -> str:
    """A short description of the browser, shown to admins beside its session."""
    agent = st.context.headers.get("User-Agent", "") or ""
    for name in ("Edg/", "Firefox/", "Chrome/", "Safari/"):
        if name in agent:
            version = agent.split(name, 1)[1].split(" ", 1)[0].split(".", 1)[0]
            system = next((s for s in ("Windows", "Mac OS", "Android", "iPhone", "Linux")
                           if s in agent), "")
            return f"{name.rstrip('/')} {version} {system}".strip()
    return agent[:60]


def _credentials_entry(user: User) -> dict:
    return {"name": user.display_name, "password": "", "roles": list(user.roles), "email": None}


def _clear_session() -> None:
    for key in (SID_KEY, "authentication_status", "username", "name", "roles",
                PASSWORD_FORM_KEY, COOKIE_PENDING_KEY):
        st.session_state.pop(key, None)


def _cookie_user(engine) -> User | None:
    """The user of this browser's login cookie, admitted in this very run.

    The cookie arrives with the WebSocket handshake (`st.context.cookies`), so
    a signed-in page load needs no CookieManager component, whose value would
    come back from the browser and run the script a second time.
    """
    found = cookie_user(engine, st.context.cookies.get(COOKIE_NAME), config.cookie_key())
    if found is None:
        return None
    user, sid = found
    st.session_state.update(authentication_status=True, username=user.username,
                            name=user.display_name, roles=list(user.roles))
    st.session_state[SID_KEY] = sid
    return user


def current_user(engine) -> User | None:
    """The signed-in user of this session, re-checked against the database."""
    sid = st.session_state.get(SID_KEY)
    if not sid or not st.session_state.get("authentication_status"):
        return None
    user = session_user(engine, sid=sid)
    if user is None:
        _clear_session()
        st.session_state["session_ended"] = True
    return user


def require_user(engine) -> User:
    """The signed-in user, or the login form and a stop."""
    problem = config.startup_problem()
    if problem:  # started without `python -m lib.serve`: say why nobody can sign in
        st.error(t("auth_s.config_problem", reason=problem))
        st.stop()
    user = current_user(engine)
    if user is not None:
        _set_pending_cookie(engine)
        return user
    if not st.session_state.get(SIGNED_OUT_KEY):
        user = _cookie_user(engine)
        if user is not None:
            return user
    # Shown on every run of the sign-in form until the next sign-in attempt: the form's
    # cookie component reruns the page once after it loads, and a notice popped on the
    # first run was gone before anyone could read it.
    if st.session_state.get("authentication_status") is None:
        if st.session_state.get(PASSWORD_CHANGED_KEY):
            st.success(t("auth.password_changed"))
        elif st.session_state.get("session_ended"):
            st.info(t("auth.session_ended"))
    authenticator = _authenticator(engine)
    fields = {"Form name": t("auth.login_title"), "Username": t("auth.username"),
              "Password": t("auth.password"), "Login": t("auth.login_button")}
    try:
        authenticator.login(location="main", fields=fields, key="login")
    except LoginError:
        st.session_state["authentication_status"] = False
    if st.session_state.get("authentication_status") and current_user(engine):
        st.session_state.pop(PASSWORD_CHANGED_KEY, None)
        st.session_state.pop("session_ended", None)
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
    """Sign out (this browser), sign out everywhere, change password (sidebar)."""
    if st.sidebar.button(t("auth.logout"), key="logout_button", width="stretch"):
        end_session(engine, sid=st.session_state.get(SID_KEY), ended_by=username)
        _signed_out()
    if st.sidebar.button(t("auth_s.logout_everywhere"), key="logout_everywhere_button",
                         width="stretch", help=t("auth_s.logout_everywhere_help")):
        end_sessions(engine, username=username)
        _signed_out()
    if st.sidebar.button(t("auth.change_password"), key="change_password_button",
                         width="stretch"):
        st.session_state[PASSWORD_FORM_KEY] = True
        st.rerun()


def _signed_out() -> None:
    _clear_session()
    st.session_state[SIGNED_OUT_KEY] = True
    st.rerun()


def password_gate(engine, user: User) -> None:
    """Stop the page for the password form when the user must change the
    password (forced) or asked to (sidebar button, with a way back)."""
    forced = user.must_change_password
    if not forced and not st.session_state.get(PASSWORD_FORM_KEY):
        return
    if forced:
        st.warning(t("auth_s.must_change_password"))
    change_password_form(engine, user)
    if forced:
        if st.button(t("auth.logout"), key="forced_logout_button"):
            end_session(engine, sid=st.session_state.get(SID_KEY), ended_by=user.username)
            _signed_out()
    elif st.button(t("auth_s.back_to_page"), key="password_back_button"):
        st.session_state.pop(PASSWORD_FORM_KEY, None)
        st.rerun()
    st.stop()


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
    # Every session of the user has ended: back to the sign-in form, which
    # says the password was changed.
    _clear_session()
    st.session_state[SIGNED_OUT_KEY] = True
    st.session_state[PASSWORD_CHANGED_KEY] = True
    st.rerun()
