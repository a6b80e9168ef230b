"""The session's language and `t()`, the translation call every page uses."""
from __future__ import annotations

import re

import streamlit as st

from lib import config
from lib.i18n import LANGUAGE_NAMES, LANGUAGES, translate
from lib.i18n.formatting import money

LANGUAGE_KEY = "language"


def language() -> str:
    if LANGUAGE_KEY not in st.session_state:
        requested = st.query_params.get("lang")
        default = config.default_language()
        st.session_state[LANGUAGE_KEY] = requested if requested in LANGUAGES else default
    return st.session_state[LANGUAGE_KEY]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(value) -> str:
    """A database value as literal text inside markdown (names, notes): no markup, links or LaTeX."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).splitlines()))


def t(key: str, **params) -> str:
    lang = language()
    shown = {name: money(value, lang) if name.endswith("_fen") and isinstance(value, int) else value
             for name, value in params.items()}
    return translate(key, lang, **shown)


def language_picker() -> None:
    """Sidebar switch; the choice also goes into the URL so a shared link keeps it."""
    language()
    st.sidebar.selectbox(translate("app.language", language()), LANGUAGES, key=LANGUAGE_KEY,
                         format_func=LANGUAGE_NAMES.get)
    st.query_params["lang"] = st.session_state[LANGUAGE_KEY]
