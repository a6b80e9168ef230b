"""The session's language and `t()`, the translation call every page uses."""
from __future__ import annotations

import re
from datetime import datetime

import streamlit as st

from lib import config
from lib.i18n import LANGUAGE_NAMES, LANGUAGES, translate
from lib.i18n.formatting import moment, money

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
    return translate(key, lang, **{name: _shown(name, value, lang) for name, value in params.items()})


def _shown(name: str, value, lang: str):
    """Message parameters as a reader wants them: money in yuan, moments in the
    language's format, stored status words in words (`adm.status.*`)."""
    if name.endswith("_fen") and isinstance(value, int):
        return money(value, lang)
    if isinstance(value, datetime):
        return moment(value, lang)
    if name in ("status", "decision") and isinstance(value, str):
        label = translate(f"adm.status.{value}", lang)
        return value if label.startswith("adm.status.") else label
    return value


def language_picker() -> None:
    """Sidebar switch; the choice also goes into the URL so a shared link keeps it."""
    language()
    st.sidebar.selectbox(translate("app.language", language()), LANGUAGES, key=LANGUAGE_KEY,
                         format_func=LANGUAGE_NAMES.get)
    st.query_params["lang"] = st.session_state[LANGUAGE_KEY]
