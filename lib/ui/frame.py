"""The frame every page starts with: set-up, login, role check, menu.

    ctx = page_frame(page_for("pages/1_Orders.py"))

Nothing on a page runs before this returns, and it returns only for a
signed-in user whose roles open the page: a deep link without login or with
the wrong role shows the login form or a refusal, never data.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from lib import bootstrap, config
from lib.auth.users import User
from lib.db import get_engine
from lib.db.limits import as_user_facing
from lib.navigation import Page, pages_for
from lib.roles import PermissionDenied
from lib.ui.auth import COOKIE_PENDING_KEY, logout_button, password_gate, require_user
from lib.ui.text import language, language_picker, listing, plain, settle_language, t


@dataclass(frozen=True)
class PageContext:
    engine: object
    user: User
    language: str


def page_frame(page: Page) -> PageContext:
    st.set_page_config(page_title=f"{t(page.title_key)} · {t('app.title')}",
                       page_icon=page.icon, layout="wide")
    language_picker()
    st.session_state.pop("kpi.view", None)   # set again by the KPI filters of this page, if any
    with shown_errors(stop=True):
        _prepare_database()
        engine = get_engine()
        cookie_due = bool(st.session_state.get(COOKIE_PENDING_KEY))
        user = require_user(engine)
        # Taking up the user's stored language reruns once; a login cookie this run was
        # to set would be lost with it, so it is set on the rerun instead.
        settle_language(engine, user.username,
                        before_rerun=lambda: cookie_due and st.session_state.update({COOKIE_PENDING_KEY: True}))
    password_gate(engine, user)
    _sidebar(engine, user)
    if page.permission is not None and not user.actor.may(page.permission):
        st.error(t("app.refused"))
        st.stop()
    st.title(f"{page.icon} {t(page.title_key)}")
    return PageContext(engine, user, language())


@st.cache_resource(show_spinner=False)
def _migrated(url: str) -> bool:
    bootstrap.prepare_database()
    return True


def _prepare_database() -> None:
    if bootstrap.demo_database_missing():
        st.info(t("app.building_demo", orders=f"{bootstrap.DEMO_ORDERS:,}"))
        bar = st.progress(0.0)

        def progress(step: str, done: int, total: int) -> None:
            bar.progress(min(done / max(total, 1), 1.0),
                         text=t("app.building_step", step=t(f"app.step.{step}"), done=done,
                                 total=total))

        bootstrap.ensure_demo_database(progress)
        bar.empty()
    _migrated(config.database_url())


def _sidebar(engine, user: User) -> None:
    roles = listing(t(f"role.{role}") for role in user.roles)
    st.sidebar.caption(t("auth.signed_in_as", name=plain(user.display_name), roles=roles))
    for page in pages_for(user.actor):
        st.sidebar.page_link(page.path, label=t(page.title_key), icon=page.icon,
                             query_params={"lang": language()})
    if config.is_demo():
        st.sidebar.caption(t("app.demo_notice"))
    logout_button(engine, user.username)


@contextmanager
def shown_errors(stop: bool = False):
    """Turn the errors a user can act on into a message in their language.

    Database outages, queries cut off at the statement timeout and a busy
    server become a plain message (no traceback), and the page works again by
    itself once the cause is gone, since nothing is cached broken.
    """
    try:
        yield
    except PermissionDenied:
        st.error(t("error.permission_denied"))
    except Exception as error:  # outages, time-outs and busy are expected here; bugs re-raise
        known = as_user_facing(error)
        if known is None:
            raise
        st.error(t(known.key, **known.params))
    else:
        return
    if stop:
        st.stop()
