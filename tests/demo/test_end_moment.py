"""Nothing in the demo lies after its own end moment (issue 12).

The console shows the demo "as of" the moment it was built (a build at 03:15 is
as of 03:15), so no row may be stamped later than that: no coupon issued at
23:58, no event created or certification reviewed in the evening ahead, no
order, rating, review or trade-in from the rest of the day. Deadlines are the
one kind of timestamp that lies ahead by meaning (a coupon's `expires_at`).
One small build on SQLite (the cross-backend checks are in test_builder).
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import DateTime, select

from lib.db import schema as s
from lib.demo.builder import build
from tests.conftest import fresh_engine

END = datetime(2026, 6, 10, 3, 15, 0)       # built at 03:15: the data ends there
DEADLINES = {("coupons", "expires_at")}    # ahead of the end by meaning, not events


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with fresh_engine("sqlite", tmp_path_factory.mktemp("end")) as engine:
        build(engine, orders=1500, seed=5, end=END)
        yield engine


def _frame(engine, table) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(select(table)).mappings().all(),
                            columns=[c.name for c in table.columns])


def _timestamp_columns():
    return [(table, column.name) for table in s.SERVICE_TABLES for column in table.columns
            if isinstance(column.type, DateTime) and (table.name, column.name) not in DEADLINES]


@pytest.mark.parametrize("table,column", _timestamp_columns(), ids=lambda v: getattr(v, "name", v))
def test_no_timestamp_is_later_than_the_end_moment(demo, table, column):
    values = pd.to_datetime(_frame(demo, table)[column]).dropna()
    late = values[values > END]
    assert late.empty, f"{table.name}.{column}: {len(late)} after {END}, latest {late.max()}"


def test_the_data_runs_up_to_its_end(demo):
    """Not cut a day short either: the end day's early hours have orders."""
    created = pd.to_datetime(_frame(demo, s.service_orders)["created_at"])
    assert created.max() > END - timedelta(hours=12), created.max()
    assert (created >= END.replace(hour=0)).any()


def test_pending_trade_ins_wait_days_or_weeks_not_years(demo):
    requests = _frame(demo, s.trade_in_requests)
    pending = requests[requests["status"] == "pending"]
    assert len(pending), "the queue has something to work"
    waiting = END - pd.to_datetime(pending["reported_at"])
    assert (waiting >= pd.Timedelta(0)).all()
    assert waiting.max() <= pd.Timedelta(days=61), waiting.max()


def test_coupons_are_issued_after_their_request_and_expire_90_days_later(demo):
    coupons = _frame(demo, s.coupons)
    requests = _frame(demo, s.trade_in_requests).set_index("id")
    reported = pd.to_datetime(requests.loc[coupons["trade_in_request_id"].astype(int), "reported_at"]).values
    assert (pd.to_datetime(coupons["issued_at"]).values > reported).all()
    assert ((coupons["expires_at"] - coupons["issued_at"]) == timedelta(days=90)).all()


def test_planned_free_repair_days_lie_ahead_and_were_planned_before_the_end(demo):
    days = _frame(demo, s.free_repair_days)
    planned = days[days["status"] == "planned"]
    assert (pd.to_datetime(planned["event_date"]) > pd.Timestamp(END.date())).all()
    assert (pd.to_datetime(days["created_at"]) <= END).all()
