"""Benchmark databases: built once with the shared seeded builder, cached on disk.

A SQLite database is keyed by (orders, seed, end) and kept under
`data/bench/` (or $BENCH_DATA_DIR), so a second run does not rebuild it. It is
built into a temporary file and renamed into place: a half-built file is never
taken for a finished one. A PostgreSQL database is kept under a fixed name
(`sc_bench_<orders>_<seed>_<end>`) on the server of `lib.db.provision`; a
marker table tells a finished build from an interrupted one.
"""
from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lib.db import provision

SEED = 2026
END = date(2026, 6, 30)          # fixed: every run sees the same rows
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR", PROJECT_ROOT / "data" / "bench"))
MARKER = "bench_build_done"


def _progress(label: str):
    last = [0.0]

    def report(step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 10 or step == "done":
            last[0] = now
            print(f"  [{label}] {step} {done}/{total}", file=sys.stderr, flush=True)
    return report


def key(orders: int, seed: int = SEED, end: date = END) -> str:
    return f"sc_bench_{orders}_{seed}_{end:%Y%m%d}"


def sqlite_path(orders: int, seed: int = SEED, end: date = END) -> Path:
    return DATA_DIR / f"{key(orders, seed, end)}.db"


def _migrated(url: str) -> str:
    """Bring a cached database to the newest migration (new KPI indexes), then ANALYZE
    if anything changed: a cached database measures today's schema, not the one it was
    built with."""
    from lib.db import make_engine
    from lib.db.setup import migrate
    from sqlalchemy import inspect

    engine = make_engine(url)
    try:
        def indexes():
            inspector = inspect(engine)
            return {(t, ix["name"]) for t in ("service_orders", "ratings", "members", "appliances")
                    for ix in inspector.get_indexes(t)}
        before = indexes()
        migrate(engine)
        if indexes() != before:
            with engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
            print(f"  migrated {url.split('@')[-1]}", file=sys.stderr)
    finally:
        engine.dispose()
    return url


def sqlite_url(orders: int, seed: int = SEED, end: date = END, *, build: bool = True) -> str:
    """The URL of the cached SQLite database, built first if missing."""
    path = sqlite_path(orders, seed, end)
    if path.exists():
        return _migrated(f"sqlite:///{path}")
    if not path.exists():
        if not build:
            raise FileNotFoundError(path)
        from lib.bootstrap import build_demo_database
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        (DATA_DIR / ".gitignore").write_text("*\n")
        partial = path.with_name(path.name + ".building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        started = time.monotonic()
        build_demo_database(f"sqlite:///{partial}", orders=orders, seed=seed, end=end,
                            progress=_progress(f"sqlite {orders}"))
        _checkpoint(f"sqlite:///{partial}")
        os.replace(partial, path)
        print(f"  built {path} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return f"sqlite:///{path}"


def console_url(orders: int, seed: int = SEED) -> str:
    """A cached SQLite demo whose data ends today: a running console's as-of is now, so
    on a database ending on END its KPI pages would show nothing (bench.server_cpu)."""
    from lib.timeutil import now_local
    return sqlite_url(orders, seed, now_local().date())


def _checkpoint(url: str) -> None:
    """Fold the WAL into the main file so the renamed file is complete on its own."""
    engine = create_engine(url)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def server_url(backend: str, orders: int, seed: int = SEED, end: date = END, *,
               build: bool = True) -> str:
    """A kept database on the server named after (orders, seed, end), built if missing."""
    name = key(orders, seed, end)
    server = make_url(provision.SERVER_URLS[backend])
    url = server.set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if exists and _finished(url):
                return _migrated(url)
            if not build:
                raise FileNotFoundError(name)
            if exists:
                connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    finally:
        admin.dispose()
    from lib.bootstrap import build_demo_database
    started = time.monotonic()
    build_demo_database(url, orders=orders, seed=seed, end=end,
                        progress=_progress(f"{backend} {orders}"))
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
        connection.exec_driver_sql(f"CREATE TABLE {MARKER} (done integer)")
    engine.dispose()
    print(f"  built {name} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return url


def _finished(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_name = :t"),
                {"t": MARKER}).scalar() == 1
    finally:
        engine.dispose()


def database_url(backend: str, orders: int, *, build: bool = True) -> str:
    if backend == "sqlite":
        return sqlite_url(orders, build=build)
    return server_url(backend, orders, build=build)


if __name__ == "__main__":  # python -m bench.datasets sqlite 1000000
    print(database_url(sys.argv[1], int(sys.argv[2])))
