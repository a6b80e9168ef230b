"""SQLite held by another writer for longer than the busy timeout: a clear refusal,
nothing half-written, readers unaffected (WAL), and the next write works."""
from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lib.commands.coupons import issue_coupon, reject_trade_in
from lib.db import engine as db_engine
from lib.db import make_engine
from lib.db.schema import console_audit_log, coupons, trade_in_requests
from lib.db.setup import create_all
from lib.demo.factory import Factory
from lib.errors import ServiceUnavailable
from lib.kpi.filters import KpiFilters
from lib.kpi.orders import order_totals
from lib.roles import Actor

MARKETING = Actor("marketing_demo", ("marketing",))
BUSY_TIMEOUT_MS = 300
FILTERS = KpiFilters(start=date(2025, 1, 1), end=date(2025, 12, 31), as_of=datetime(2026, 1, 1))


@pytest.fixture
def locked_setup(tmp_path, monkeypatch):
    """(engine with a 0.3 s busy timeout, database path, two pending trade-in request ids)."""
    monkeypatch.setattr(db_engine, "SQLITE_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS)
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}")
    create_all(engine)
    with engine.begin() as connection:
        make = Factory(connection)
        make.order(created_at=datetime(2025, 3, 1, 10, 0))
        ids = [make.trade_in_request(), make.trade_in_request()]
    yield engine, path, ids
    engine.dispose()


def _counts(engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return (connection.execute(select(func.count()).select_from(coupons)).scalar_one(),
                connection.execute(select(func.count()).select_from(console_audit_log)).scalar_one(),
                connection.execute(select(func.count()).select_from(trade_in_requests).where(
                    trade_in_requests.c.status != "pending")).scalar_one())


def _hold_write_lock(path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None, timeout=0, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE cities SET name = name")  # really write, not just take the lock
    return other


def test_the_engine_uses_the_configured_busy_timeout(locked_setup):
    engine, _, _ = locked_setup
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.parametrize("command", ["issue", "reject"])
def test_a_write_blocked_past_the_busy_timeout_is_refused_and_leaves_nothing(locked_setup, command):
    engine, path, (first, _) = locked_setup
    before = _counts(engine)
    other = _hold_write_lock(path)
    try:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable) as refused:
            if command == "issue":
                issue_coupon(engine, actor=MARKETING, trade_in_request_id=first)
            else:
                reject_trade_in(engine, actor=MARKETING, trade_in_request_id=first,
                                reason="'; DROP TABLE coupons; --")
        waited = time.monotonic() - started
    finally:
        other.rollback()
        other.close()
    assert refused.value.key == "error.database_unavailable"
    assert BUSY_TIMEOUT_MS / 1000 * 0.8 <= waited < 10, f"waited {waited:.2f} s for the lock"
    assert _counts(engine) == before, "a refused write left rows behind"
    # The lock is gone: the same engine writes again.
    if command == "issue":
        issue_coupon(engine, actor=MARKETING, trade_in_request_id=first)
        assert _counts(engine) == (before[0] + 1, before[1] + 1, before[2] + 1)
    else:
        reject_trade_in(engine, actor=MARKETING, trade_in_request_id=first, reason="no stock")
        assert _counts(engine) == (before[0], before[1] + 1, before[2] + 1)


def test_readers_are_not_blocked_by_a_writer(locked_setup):
    engine, path, _ = locked_setup
    other = _hold_write_lock(path)
    try:
        assert order_totals(engine, FILTERS).orders == 1  # WAL: the last committed state
    finally:
        other.rollback()
        other.close()


def test_a_lock_released_within_the_timeout_is_waited_for(locked_setup):
    engine, path, (first, _) = locked_setup
    other = _hold_write_lock(path)
    release = threading.Timer(BUSY_TIMEOUT_MS / 1000 / 3, lambda: (other.rollback(), other.close()))
    release.start()
    try:
        issue_coupon(engine, actor=MARKETING, trade_in_request_id=first)
    finally:
        release.join()
    assert _counts(engine)[0] == 1
