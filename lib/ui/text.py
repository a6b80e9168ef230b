"""The session's language and `t()`, the translation call every page uses."""
from __future__ import annotations

from collections.abc import Mapping

import re
from datetime import datetime

import streamlit as st

from lib import config
from lib.i18n import LANGUAGE_NAMES, LANGUAGES, translate
from lib.i18n.formatting import moment, money
from lib.i18n.places import city_name

LANGUAGE_KEY = "language"            # the session's language (a plain key, kept across pages)
PICKER_KEY = "language.picker"       # the sidebar switch (a widget: re-seeded on every page)
URL_SEEN_KEY = "language.url"        # the `lang` this session last read from or wrote to the URL
EXPLICIT_KEY = "language.explicit"   # chosen in this session (switch or URL): wins over the stored one
UNSAVED_KEY = "language.unsaved"     # picked with the switch, not yet stored for the user
SETTLED_KEY = "language.settled_for"  # the user whose stored language this session has applied


def language() -> str:
    """The session's language: the URL's `lang` when it asks for another one than this
    session wrote there (a shared link), else the session's choice, else the default."""
    state = st.session_state
    if LANGUAGE_KEY not in state:
        state[LANGUAGE_KEY] = config.default_language()
        _read_url()
    return state[LANGUAGE_KEY]


def _read_url() -> None:
    requested = st.query_params.get("lang")
    if requested in LANGUAGES and requested != st.session_state.get(URL_SEEN_KEY):
        st.session_state[LANGUAGE_KEY] = requested
        st.session_state[URL_SEEN_KEY] = requested
        st.session_state[EXPLICIT_KEY] = True


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# GitHub-flavoured markdown links bare addresses (http://, www., a@b) even when every
# special character is escaped; an invisible word joiner inside breaks the address.
_AUTOLINK_STARTS = re.compile(r"(://|www\.|@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(value) -> str:
    """A database value as literal text inside markdown (names, notes): no markup, links or LaTeX."""
    text = " ".join(str(value).splitlines())
    text = _AUTOLINK_STARTS.sub(lambda m: m.group(0)[0] + WORD_JOINER + m.group(0)[1:], text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


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
    if name == "city" and isinstance(value, str):
        return city_name(value, lang)
    if name in ("status", "decision") and isinstance(value, str):
        label = translate(f"adm.status.{value}", lang)
        return value if label.startswith("adm.status.") else label
    return value


def city(name) -> str:
    """A stored city name for this session's reader ("Ningbo 宁波" in English)."""
    return city_name(name, language())


def greeting(user) -> str:
    """"王经理，您好" in Chinese; in English the sign-in name, not a Chinese one after "Hello,"."""
    lang = language()
    name = user.display_name if lang == "zh_CN" or user.display_name.isascii() else user.username
    return translate("i18n.welcome", lang, name=plain(name))


def listing(items) -> str:
    """Items joined as the language lists them: "清洗、检测" / "Cleaning, Inspection"."""
    return ("、" if language() == "zh_CN" else ", ").join(str(item) for item in items)


def language_picker() -> None:
    """Sidebar switch; the choice also goes into the URL (and into every menu link) so a
    shared link keeps it. Called first on every page (lib.ui.frame)."""
    language()
    _read_url()
    st.session_state[PICKER_KEY] = st.session_state[LANGUAGE_KEY]
    st.sidebar.selectbox(translate("app.language", language()), LANGUAGES, key=PICKER_KEY,
                         format_func=LANGUAGE_NAMES.get, on_change=_picked)
    _write_url()


def _picked() -> None:
    st.session_state[LANGUAGE_KEY] = st.session_state[PICKER_KEY]
    st.session_state[EXPLICIT_KEY] = True
    st.session_state[UNSAVED_KEY] = True
    _relabel_chosen_options()


_OPTION_VALUE_TYPES = ("string_value", "string_array_value")


def keyed_widget_ids(inner) -> dict[str, str]:
    """{widget key: widget id} of Streamlit's inner session state. Streamlit 1.67 keeps
    it in `_key_id_mapper` (older ones in `_key_id_mapping`; reading only that one
    silently relabelled nothing: tests/ui/test_text checks the installed Streamlit)."""
    mapper = getattr(inner, "_key_id_mapper", None)
    if mapper is not None:
        return dict(mapper._key_id_mapping)
    return dict(inner._key_id_mapping)


def _relabel_chosen_options() -> None:
    """Make the page's choice widgets show their chosen option in the new language.

    Select boxes, multiselects and segmented controls send the chosen option to the
    browser as its label text; the browser keeps showing that text ("不拆分") until the
    value is set again. Setting each keyed choice to its own value (in this callback,
    before the page runs) makes Streamlit send the newly formatted label. Uses
    Streamlit's widget metadata to find them; if that ever changes, labels only stay
    as they were until the next choice.
    """
    try:
        from streamlit.runtime.state import get_session_state
        inner = get_session_state()._state
        mapping = keyed_widget_ids(inner)
        metadata = inner._new_widget_state.widget_metadata
    except Exception:  # noqa: BLE001 - an internal of Streamlit moved: nothing to do
        return
    for key, widget_id in mapping.items():
        meta = metadata.get(widget_id)
        if key == PICKER_KEY or meta is None or meta.value_type not in _OPTION_VALUE_TYPES:
            continue
        try:
            value = st.session_state[key]
            if isinstance(value, Mapping):  # a chart's click selection: read-only state, and
                continue                    # setting it fails the page's next run
            st.session_state[key] = value
        except Exception:  # noqa: BLE001 - a widget whose value cannot be set: leave it
            continue


def _write_url() -> None:
    chosen = st.session_state[LANGUAGE_KEY]
    if st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen
    st.session_state[URL_SEEN_KEY] = chosen


def settle_language(engine, username: str, before_rerun=None) -> None:
    """Once the user is known: store a choice made with the switch; on the session's first
    signed-in run without a choice of its own, take up the user's stored language
    (a rerun draws the page in it). One read per session, one write per choice."""
    from lib.auth.preferences import store_language, stored_language

    state = st.session_state
    if state.get(SETTLED_KEY) != username:
        state[SETTLED_KEY] = username
        if not state.get(EXPLICIT_KEY):
            stored = stored_language(engine, username)
            if stored is not None and stored != state[LANGUAGE_KEY]:
                state[LANGUAGE_KEY] = stored
                if before_rerun is not None:
                    before_rerun()
                st.rerun()
            return
    if state.pop(UNSAVED_KEY, False):
        store_language(engine, username, state[LANGUAGE_KEY])
