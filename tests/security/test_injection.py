"""SQL injection and malformed values in every filter and form field: refused or
harmless, never run, never a crash, and the tables are intact afterwards."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from lib.auth.demo_users import DEMO_USERS, SYSTEM
from lib.auth.users import create_user, find_user
from lib.commands.coupons import issue_coupon, reject_trade_in, void_coupon
from lib.db import get_engine
from lib.db import schema as s
from lib.db.schema import console_audit_log
from lib.demo.factory import Factory
from lib.errors import ValidationFailed
from lib.roles import Actor
from lib.ui.filters import state_from_params
from tests.conftest import signed_in_state

ROOT = Path(__file__).resolve().parents[2]
DROP = "1;DROP TABLE service_orders;--"
HOSTILE_PARAMS = [
    {"city": DROP},
    {"city": "1 OR 1=1", "brand": "' OR ''='"},
    {"city": "99999999999999999999999999999", "brand": "-1,0,2147483648"},
    {"city": "²,³", "brand": "١٢,𝟏"},  # Unicode digits that str.isdigit() accepts
    {"preset": "custom", "start": "2026-13-45", "end": "2026-02-30"},
    {"preset": "custom", "start": "99999-01-01", "end": "1e308"},
    {"preset": "custom", "start": "0001-01-01", "end": "9999-12-31"},
    {"preset": "last_999999_days"},
    {"type": "install'--", "source": "<script>alert(1)</script>"},
    {"type": "install\x00", "city": "1\x00", "preset": "\u202Ecustom"},
    {"city": ",".join(str(i) for i in range(5000))},
]
MARKETING = Actor("marketing_demo", ("marketing",))
INJECTION = "'; DROP TABLE coupons; --"


def _counts(engine) -> dict:
    tables = (s.service_orders, s.coupons, s.console_users, s.trade_in_requests, s.cities)
    with engine.connect() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
                for t in tables}


@pytest.mark.parametrize("params", HOSTILE_PARAMS, ids=[json.dumps(p)[:40] for p in HOSTILE_PARAMS])
def test_url_filters_parse_to_known_values_only(params):
    state = state_from_params(params, city_ids={1, 2, 12}, brand_ids={1, 2})
    assert state is not None
    assert set(state.cities) <= {1, 2, 12} and set(state.brands) <= {1, 2}
    assert state.start is None or state.start.year >= 2000


@pytest.mark.parametrize("params", HOSTILE_PARAMS, ids=[json.dumps(p)[:40] for p in HOSTILE_PARAMS])
def test_kpi_page_with_hostile_url_renders_and_tables_stay(console_env, params):
    st.cache_data.clear()
    st.cache_resource.clear()
    engine = get_engine(console_env)
    before = _counts(engine)
    user = find_user(engine, DEMO_USERS["manager"]["username"])
    app = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
    app.switch_page("pages/1_Orders.py")
    for key, value in params.items():
        app.query_params[key] = value
    app.session_state["language"] = "en"
    for key, value in signed_in_state(engine, user).items():
        app.session_state[key] = value
    app.run()
    assert not app.exception, f"{params}: {[e.value for e in app.exception]}"
    assert not app.error, f"{params}: {[e.value for e in app.error]}"
    assert app.metric, f"{params}: the page did not draw"
    assert _counts(engine) == before


# -- command inputs -------------------------------------------------------------------

def _audit_after(engine, action: str) -> dict:
    with engine.connect() as connection:
        raw = connection.execute(select(console_audit_log.c.after_json).where(
            console_audit_log.c.action == action).order_by(console_audit_log.c.id.desc())).scalar()
    return json.loads(raw)


def test_injection_in_reasons_is_stored_literally(engine):
    with engine.begin() as connection:
        make = Factory(connection)
        rejected, issued = make.trade_in_request(), make.trade_in_request()
    before = _counts(engine)
    reject_trade_in(engine, actor=MARKETING, trade_in_request_id=rejected, reason=INJECTION)
    assert _audit_after(engine, "trade_in.reject")["reason"] == INJECTION.strip()
    coupon = issue_coupon(engine, actor=MARKETING, trade_in_request_id=issued)
    void_coupon(engine, actor=MARKETING, coupon_id=coupon.coupon_id,
                reason="Robert'); DROP TABLE console_users;-- 🧯")
    assert _audit_after(engine, "coupon.void")["reason"] == "Robert'); DROP TABLE console_users;-- 🧯"
    after = _counts(engine)
    assert after["coupons"] == before["coupons"] + 1 and after["console_users"] == before["console_users"]


@pytest.mark.parametrize("reason", ["\x00" + INJECTION, INJECTION + "\x1b[2J", "x" * 501, " ", 42,
                                    None, "\ud800"])
def test_malformed_reasons_are_refused(sqlite_engine, reason):
    with sqlite_engine.begin() as connection:
        request = Factory(connection).trade_in_request()
    with pytest.raises(ValidationFailed):
        reject_trade_in(sqlite_engine, actor=MARKETING, trade_in_request_id=request, reason=reason)


@pytest.mark.parametrize("request_id", ["1 OR 1=1", "1; DROP TABLE coupons", -1, 0, 2**31, True, 1.5,
                                        None])
def test_malformed_ids_are_refused(sqlite_engine, request_id):
    with pytest.raises(ValidationFailed):
        issue_coupon(sqlite_engine, actor=MARKETING, trade_in_request_id=request_id)


@pytest.mark.parametrize("username", ["x'; DROP TABLE console_users; --", "admin'--", "ad min",
                                      "Ａdmin", "admin\x00", "a" * 33, "<script>"])
def test_hostile_user_names_are_refused(sqlite_engine, username):
    with pytest.raises(ValidationFailed):
        create_user(sqlite_engine, actor=SYSTEM, username=username, display_name="x",
                    roles=["manager"], password="a-good-password-1")


def test_hostile_display_name_is_stored_literally(engine):
    name = "'); DROP TABLE console_users;-- **x**"
    user = create_user(engine, actor=SYSTEM, username="probe_user", display_name=name,
                       roles=["manager"], password="a-good-password-1")
    assert find_user(engine, "probe_user").display_name == name == user.display_name
