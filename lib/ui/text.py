"""The session's language and `t()`, the translation call every page uses."""
from __future__ import annotations

import streamlit as st

from lib import config
from lib.i18n import LANGUAGE_NAMES, LANGUAGES, translate

LANGUAGE_KEY = "language"


def language() -> str:
    if LANGUAGE_KEY not in st.session_state:
        requested = st.query_params.get("lang")
        default = config.default_language()
        st.session_state[LANGUAGE_KEY] = requested if requested in LANGUAGES else default
    return st.session_state[LANGUAGE_KEY]


def t(key: str, **params) -> str:
    return translate(key, language(), **params)


def language_picker() -> None:
    """Sidebar switch; the choice also goes into the URL so a shared link keeps it."""
    language()
    st.sidebar.selectbox(translate("app.language", language()), LANGUAGES, key=LANGUAGE_KEY,
                         format_func=LANGUAGE_NAMES.get)
    st.query_params["lang"] = st.session_state[LANGUAGE_KEY]
