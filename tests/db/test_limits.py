"""Bounds on one user's work: statement timeouts on every backend, the pool timeout, query slots."""
import threading
import time

import pytest
from sqlalchemy import text

from lib.db import engine as engine_module
from lib.db.limits import (Busy, Limits, QuerySlots, TooSlow, as_user_facing, statement_timeout,
                           was_cut_off)
from lib.errors import ServiceUnavailable

# 2,000^3 row combinations: minutes on any backend, so only the timeout ends it.
ENDLESS = text("SELECT count(*) FROM numbers a, numbers b, numbers c WHERE a.n + b.n + c.n < 0")
SHORT = text("SELECT count(*) FROM numbers a, numbers b WHERE a.n < 200")
SHORT_COUNT = 200 * 2000


@pytest.fixture
def engine(engine):
    """The backend's fresh database with a table of the numbers 0..1999."""
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE numbers (n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO numbers (n) VALUES (:n)"), [{"n": n} for n in range(2000)])
    return engine


def test_a_runaway_query_is_cut_off_at_the_statement_timeout(engine):
    started = time.monotonic()
    with pytest.raises(Exception) as caught, statement_timeout(0.5):
        with engine.connect() as connection:
            connection.execute(ENDLESS).scalar()
    assert time.monotonic() - started < 20, "the database did not stop the query"
    assert was_cut_off(caught.value), f"not recognised as a time-out: {caught.value!r}"
    assert isinstance(as_user_facing(caught.value), TooSlow)


def test_the_timeout_does_not_stay_on_a_pooled_connection(engine):
    with pytest.raises(Exception), statement_timeout(0.3):
        with engine.connect() as connection:
            connection.execute(ENDLESS).scalar()
    for _ in range(3):  # whichever pooled connection comes back, it has no limit left
        with engine.connect() as connection:
            assert connection.execute(SHORT).scalar() == SHORT_COUNT
            if engine.dialect.name == "postgresql":
                assert connection.execute(text("SHOW statement_timeout")).scalar() == "0"
            elif engine.dialect.name != "sqlite":
                assert float(connection.execute(text("SELECT @@max_statement_time")).scalar()) == 0


def test_writes_and_short_reads_run_as_before_under_the_timeout(engine):
    with statement_timeout(5), engine.connect() as connection:
        assert connection.execute(SHORT).scalar() == SHORT_COUNT


def test_waiting_for_a_pooled_connection_ends_in_busy(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "load_limits", lambda: Limits(pool_timeout_seconds=0.2))
    engine = engine_module.make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    held = [engine.connect() for _ in range(engine.pool.size() + engine.pool._max_overflow)]
    try:
        started = time.monotonic()
        with pytest.raises(Exception) as caught:
            engine.connect()
        assert time.monotonic() - started < 5
        assert isinstance(as_user_facing(caught.value), Busy)
    finally:
        for connection in held:
            connection.close()
        engine.dispose()


def test_an_outage_is_still_an_outage_and_a_bug_is_still_a_bug():
    from sqlalchemy.exc import OperationalError
    outage = OperationalError("SELECT 1", {}, Exception("could not connect to server"))
    assert isinstance(as_user_facing(outage), ServiceUnavailable)
    assert as_user_facing(KeyError("x")) is None


def test_one_user_runs_at_most_their_slots_at_once_and_others_are_not_held_up():
    slots = QuerySlots(per_user=2, wait_seconds=5)
    release, running, peak = threading.Event(), [], []
    lock = threading.Lock()

    def work(user):
        with slots.taken(user):
            with lock:
                running.append(user)
                peak.append(running.count("a"))
            release.wait(5)
            with lock:
                running.remove(user)

    threads = [threading.Thread(target=work, args=("a",)) for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    with slots.taken("b"):  # another user gets in at once
        assert time.monotonic() - started < 0.2
    release.set()
    for thread in threads:
        thread.join(10)
    assert max(peak) == 2


def test_a_slot_that_stays_taken_ends_in_busy():
    slots = QuerySlots(per_user=1, wait_seconds=0.2)
    holding, done = threading.Event(), threading.Event()

    def other_tab():
        with slots.taken("a"):
            holding.set()
            done.wait(5)

    thread = threading.Thread(target=other_tab)
    thread.start()
    holding.wait(5)
    try:
        with pytest.raises(Busy):
            with slots.taken("a"):
                pass
    finally:
        done.set()
        thread.join(5)


def test_a_figure_built_from_another_figure_runs_in_the_slot_its_caller_holds():
    slots = QuerySlots(per_user=1, wait_seconds=0.2)
    with slots.taken("a"), slots.taken("a"), slots.taken("a"):
        pass  # no Busy: the same thread already holds a's slot
    with slots.taken("a"):  # and the slot is free again afterwards
        pass
