"""Hostile values in the service database (other systems write it) are shown as plain
data: in tables, never as markup; and a CSV export never carries a live formula."""
from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from lib.auth.demo_users import DEMO_USERS
from lib.auth.users import find_user
from lib.bootstrap import build_demo_database
from lib.db import make_engine
from lib.db import schema as s
from lib.demo.factory import Factory
from lib.export import csv_bytes
from lib.navigation import PAGES
from lib.timeutil import now_local
from lib.ui.text import plain
from tests.conftest import TEST_COOKIE_KEY
from tests.conftest import signed_in_state

ROOT = Path(__file__).resolve().parents[2]
LONG = "长" * 3000 + "END"
# Strings that mean something to a browser, to markdown or to a spreadsheet.
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**bold**",
          "[link](http://x)", "$x^2$", ":red[red]", "# heading", "![p](http://127.0.0.9/p.gif)"]
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "@SUM(1)", "-2+3*cmd"]
ODD = ["\u202Egnp.exe", "zero\u200bwidth\u200djoiner", "emoji 🧯🔥👩\u200d🔧"]
PAYLOADS = MARKUP + FORMULAS + ODD


def _hostile(i: int) -> str:
    """A distinct hostile name for row i (names are unique in some tables)."""
    return f"{PAYLOADS[i % len(PAYLOADS)]} {i}"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> str:
    """A small demo database whose names and comments are all hostile strings."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'service.db'}"
    build_demo_database(url, orders=1500, seed=11)
    engine = make_engine(url)
    recent = now_local() - timedelta(days=3)
    with engine.begin() as connection:
        for table in (s.cities, s.brands, s.communities, s.engineers, s.members):
            ids = connection.execute(select(table.c.id).order_by(table.c.id)).scalars().all()
            for i, row_id in enumerate(ids):
                connection.execute(update(table).where(table.c.id == row_id)
                                   .values(name=_hostile(i)))
        connection.execute(update(s.engineers).where(s.engineers.c.id == 1).values(name=LONG))
        connection.execute(update(s.ratings).values(comment=PAYLOADS[0] + " " + PAYLOADS[4]))
        connection.execute(update(s.reviews).values(content=" ".join(PAYLOADS)))
        connection.execute(update(s.trade_in_requests).values(old_brand="=HYPERLINK(\"http://x\")"))
        connection.execute(update(s.engineer_certifications).values(review_note="**note** [x](http://x)"))
        make = Factory(connection, seed=5)
        order = make.order(created_at=recent, member_id=1, community_id=1, brand_id=1,
                           service_type="repair", completed_at=recent + timedelta(hours=3))
        make.rating(order_id=order, stars=1, comment=LONG, rated_at=recent + timedelta(hours=4))
    engine.dispose()
    return url


@pytest.fixture
def open_as_admin(hostile_url, monkeypatch):
    monkeypatch.setenv("SERVICE_DB_URL", hostile_url)
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", TEST_COOKIE_KEY)
    monkeypatch.setenv("CONSOLE_LANGUAGE", "en")
    st.cache_data.clear()
    st.cache_resource.clear()

    def _open(path: str) -> AppTest:
        engine = make_engine(hostile_url)
        user = find_user(engine, DEMO_USERS["admin"]["username"])
        engine.dispose()
        app = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=120)
        if path != "Home.py":
            app.switch_page(path)
        app.session_state["language"] = "en"
        for key, value in signed_in_state(engine, user).items():
            app.session_state[key] = value
        return app.run()
    return _open


def _markdown_texts(app: AppTest) -> list[str]:
    """Every text Streamlit renders as markdown on the page."""
    elements = [*app.markdown, *app.caption, *app.title, *app.header, *app.subheader,
                *app.error, *app.info, *app.warning, *app.success]
    texts = [str(e.value) for e in elements]
    # Labels are markdown too: metrics, buttons, downloads, expanders, tabs, every widget.
    labelled = [*app.metric, *app.button, *app.get("download_button"), *app.expander, *app.tabs,
                *app.selectbox, *app.multiselect, *app.text_input, *app.text_area, *app.number_input,
                *app.date_input, *app.radio, *app.checkbox, *app.toggle, *app.get("segmented_control")]
    texts += [_label(e) for e in labelled]
    return texts


def _label(element) -> str:
    """A widget's label; elements AppTest does not model expose it on their proto."""
    label = getattr(element, "label", None)
    return str(label if label is not None else element.proto.label)


def _frames(app: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in app.dataframe if isinstance(d.value, pd.DataFrame)]


@pytest.mark.parametrize("page", PAGES, ids=[p.path for p in PAGES])
def test_hostile_values_are_never_markup(open_as_admin, page):
    app = open_as_admin(page.path)
    assert not app.exception, f"{page.path}: {[e.value for e in app.exception]}"
    for text in _markdown_texts(app):
        for payload in MARKUP:
            # Shown escaped (lib.ui.text.plain) is literal text; anything else is markup.
            assert payload not in text.replace(plain(payload), ""), \
                f"{page.path}: database value rendered as markdown: {text[:120]!r}"


@pytest.mark.parametrize("path", ["pages/3_Engineers.py", "pages/5_Communities.py"])
def test_hostile_names_appear_verbatim_as_table_data(open_as_admin, path):
    app = open_as_admin(path)
    cells = {str(v) for frame in _frames(app) for v in frame.astype(str).to_numpy().ravel()}
    shown = [p for p in PAYLOADS if any(cell.startswith(p) for cell in cells)]
    assert len(shown) >= len(PAYLOADS) // 2, f"{path}: hostile names not shown as data: {shown}"


def test_csv_export_neutralises_formulas_and_keeps_the_rest():
    frame = pd.DataFrame({"name": [*PAYLOADS, LONG, " =not-first", "ordinary"],
                          "phone": ["13812345678"] * (len(PAYLOADS) + 3),
                          "id_card_no": ["330206198805170011"] * (len(PAYLOADS) + 3)})
    frame.columns = ["=name", "phone", "id_card_no"]
    text = csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["'=name", "phone"], "a formula header or an ID card column got out"
    for cell in (row[0] for row in rows[1:]):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"live formula: {cell[:30]!r}"
    names = [row[0] for row in rows[1:]]
    assert names[:len(MARKUP)] == MARKUP and names[-3:] == [LONG, " =not-first", "ordinary"]
    assert "\u202Egnp.exe" in names and all(row[1] == "138****5678" for row in rows[1:])


def test_engineer_detail_heading_shows_a_markdown_name_literally(open_as_admin):
    app = open_as_admin("pages/3_Engineers.py")
    options = app.selectbox(key="eng.pick").options
    marked = [o for o in options if "**bold**" in o]
    assert marked, "the hostile engineer is not in the picker"
    app.selectbox(key="eng.pick").select(marked[0]).run()
    assert not app.exception
    headings = [m.value for m in app.markdown if m.value.startswith("####")]
    assert headings and "\\*\\*bold\\*\\*" in headings[0], headings
