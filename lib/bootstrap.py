"""Getting a database ready: the demo on first start, migrations everywhere.

The demo database is built into a temporary file and renamed into place, under
a file lock, so two browsers opening a fresh console at once build it once and
nobody ever sees half a database.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from datetime import date
from typing import Callable

from lib import config
from lib.auth.demo_users import ensure_demo_users
from lib.db import get_engine, make_engine
from lib.db.setup import create_all, migrate
from lib.timeutil import now_local

DEMO_ORDERS = 200_000
DEMO_SEED = 2026

Progress = Callable[[str, int, int], None]


def build_demo_database(url: str, *, orders: int, seed: int, end: date | None = None,
                        progress: Progress | None = None):
    """A complete demo database at `url`: schema, seeded data, one user per role."""
    from lib.demo.builder import build  # heavy (numpy); only needed here

    engine = make_engine(url)
    try:
        create_all(engine)
        # without an end day the demo ends now, to the second: nothing in it lies later
        summary = build(engine, orders=orders, seed=seed, end=end or now_local().replace(microsecond=0),
                        progress=progress)
        ensure_demo_users(engine)
        return summary
    finally:
        engine.dispose()


def demo_database_missing(url: str | None = None) -> bool:
    return config.is_demo(url) and not config.DEMO_DB_PATH.exists()


@contextmanager
def _build_lock():
    config.DATA_DIR.mkdir(exist_ok=True)
    with open(config.DATA_DIR / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def remove_demo_database() -> None:
    """Delete `data/service.db` (and its journal files) so the next start builds it anew.

    Under the build lock, so a build in progress finishes first. The demo's
    cookie key stays: signed-in demo browsers simply sign in again.
    """
    with _build_lock():
        for suffix in ("", "-wal", "-shm", "-journal"):
            config.DEMO_DB_PATH.with_name(config.DEMO_DB_PATH.name + suffix).unlink(missing_ok=True)


def ensure_demo_database(progress: Progress | None = None) -> None:
    """Build `data/service.db` if it is missing; safe to call from many sessions."""
    with _build_lock():
        if config.DEMO_DB_PATH.exists():
            return
        partial = config.DATA_DIR / "service.db.building"
        for suffix in ("", "-wal", "-shm"):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)
        build_demo_database(f"sqlite:///{partial}", orders=DEMO_ORDERS, seed=DEMO_SEED,
                            progress=progress)
        os.replace(partial, config.DEMO_DB_PATH)


def prepare_database(progress: Progress | None = None) -> None:
    """What every start needs: the demo built if missing, migrations applied."""
    if demo_database_missing():
        ensure_demo_database(progress)
    migrate(get_engine())
