"""App tests run pages through streamlit.testing.v1.AppTest, without a browser.

This layer checks the page frame: login, roles, headings, no exception. The
figures themselves are tested in tests/kpi and tests/commands. Streamlit's
caches are cleared between tests so one test's data never leaks into another.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.auth.demo_users import DEMO_USERS
from lib.auth.users import find_user
from lib.db import get_engine
from lib.ui import kept
from tests.conftest import signed_in_state

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    kept.clear()
    yield


@pytest.fixture
def open_page(console_env):
    """open_page(path, role=None, language="en") -> AppTest after its first run.

    With a role, the session is already signed in as that role's demo user
    (the login form is tested in the browser); without, it is anonymous.
    """
    def _open(path: str, role: str | None = None, language: str = "en") -> AppTest:
        # Pages run through the entry script, as in the browser, so that the
        # menu's page links resolve relative to Home.py.
        app = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
        if path != "Home.py":
            app.switch_page(path)
        app.session_state["language"] = language
        if role is not None:
            user = find_user(get_engine(console_env), DEMO_USERS[role]["username"])
            for key, value in signed_in_state(get_engine(console_env), user).items():
                app.session_state[key] = value
        return app.run()
    return _open


@pytest.fixture
def downloads(monkeypatch):
    """[(file name, data)] of every download button the page draws (data as given: a
    callable is built only when the test calls it, as on a click)."""
    payloads = []
    real = st.download_button

    def capture(label, data, *args, **kwargs):
        payloads.append((kwargs.get("file_name"), data))
        return real(label, data, *args, **kwargs)
    monkeypatch.setattr(st, "download_button", capture)
    return payloads
