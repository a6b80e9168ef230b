"""Two people (threads sharing the console's engine) or two consoles (processes,
each with its own engine) make the same decision at the same moment: exactly one
wins, the other gets Conflict naming the winner; one coupon, one audit entry."""
from __future__ import annotations

import multiprocessing
import sys
import threading
import types

import pytest
from sqlalchemy import func, select

from lib.db import make_engine
from lib.db import schema as s
from lib.errors import Conflict
from lib.roles import Actor
from tests.commands.conftest import build_world

CONTENDERS = (Actor("mei", ("marketing",)), Actor("ada", ("admin",)))
HR_CONTENDERS = (Actor("hua", ("hr",)), Actor("ada", ("admin",)))


def _attempt(engine, kind: str, target: int, index: int):
    from lib.commands.certifications import approve_certification
    from lib.commands.coupons import issue_coupon
    try:
        if kind == "coupon":
            result = issue_coupon(engine, actor=CONTENDERS[index], trade_in_request_id=target)
            return ("ok", result.issued_by)
        result = approve_certification(engine, actor=HR_CONTENDERS[index], certification_id=target)
        return ("ok", result.reviewed_by)
    except Conflict as error:
        return ("conflict", error.params["by"])
    except Exception as error:  # reported, so the test shows what went wrong
        return ("error", repr(error))


def _process_main(url: str, kind: str, target: int, index: int, barrier, results) -> None:
    engine = make_engine(url)
    try:
        with engine.connect():
            pass  # connect before the race, so both start writing together
        barrier.wait(timeout=30)
        results.put(_attempt(engine, kind, target, index))
    finally:
        engine.dispose()


def _race_threads(engine, kind, target):
    barrier, results = threading.Barrier(2), [None, None]

    def run(index):
        barrier.wait(timeout=30)
        results[index] = _attempt(engine, kind, target, index)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _race_processes(engine, kind, target):
    # A spawned child first re-runs the parent's __main__ file. Earlier tests in the same
    # run can leave __main__ pointing at Home.py (a page run as a script), which would
    # start the console inside each child; a bare __main__ keeps the children clean.
    saved_main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        return _start_racers(engine, kind, target)
    finally:
        sys.modules["__main__"] = saved_main


def _start_racers(engine, kind, target):
    context = multiprocessing.get_context("spawn")
    barrier, queue = context.Barrier(2), context.Queue()
    url = engine.url.render_as_string(hide_password=False)
    processes = [context.Process(target=_process_main, args=(url, kind, target, i, barrier, queue))
                 for i in range(2)]
    for process in processes:
        process.start()
    results = [queue.get(timeout=90) for _ in processes]
    for process in processes:
        process.join(30)
    return results


def _audit_count(engine, action: str) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(s.console_audit_log)
                                  .where(s.console_audit_log.c.action == action)).scalar()


def _check(results):
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["conflict", "ok"], f"expected one win and one conflict, got {results}"
    winner = next(r[1] for r in results if r[0] == "ok")
    loser_saw = next(r[1] for r in results if r[0] == "conflict")
    assert loser_saw == winner, f"the conflict must name the winner: {results}"


@pytest.mark.parametrize("how", ["threads", "processes"])
def test_one_coupon_per_request_under_a_race(engine, how):
    world = build_world(engine)
    race = _race_threads if how == "threads" else _race_processes
    _check(race(engine, "coupon", world.request))
    with engine.connect() as connection:
        coupons = connection.execute(select(func.count()).select_from(s.coupons).where(
            s.coupons.c.trade_in_request_id == world.request)).scalar()
        status = connection.execute(select(s.trade_in_requests.c.status).where(
            s.trade_in_requests.c.id == world.request)).scalar()
    assert (coupons, status) == (1, "coupon_issued")
    assert _audit_count(engine, "coupon.issue") == 1


@pytest.mark.parametrize("how", ["threads", "processes"])
def test_one_approval_under_a_race(engine, how):
    world = build_world(engine)
    race = _race_threads if how == "threads" else _race_processes
    _check(race(engine, "certification", world.pending))
    assert _audit_count(engine, "certification.approve") == 1
    assert _audit_count(engine, "engineer.activate") == 1


def test_one_event_per_community_day_under_a_race(engine):
    from datetime import date

    from lib.commands.free_repair_days import plan_free_repair_day
    world = build_world(engine)
    barrier, results = threading.Barrier(2), [None, None]

    def run(index):
        barrier.wait(timeout=30)
        try:
            plan_free_repair_day(engine, actor=CONTENDERS[index], community_id=world.community,
                                 event_date=date(2026, 3, 10), services=["cleaning"], capacity=30,
                                 engineer_ids=[world.worker], today=date(2026, 3, 2))
            results[index] = ("ok", CONTENDERS[index].username)
        except Conflict as error:
            results[index] = ("conflict", error.params["by"])
        except Exception as error:
            results[index] = ("error", repr(error))
    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    _check(results)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(s.free_repair_days)).scalar() == 1
    assert _audit_count(engine, "free_repair_day.plan") == 1
