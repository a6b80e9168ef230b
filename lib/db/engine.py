"""Engine factory. Every query and command receives its engine from here."""
from __future__ import annotations

import os
from functools import lru_cache, partial

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError

from lib import config
from lib.db.limits import install_statement_timeout, load_limits

SQLITE_BUSY_TIMEOUT_MS = 5000
# Page cache and memory map of every SQLite connection: SQLite's own defaults, a 2 MiB
# cache and no memory map. Measured on a quiet machine at 1,000,000 orders (the report's
# whole history, interleaved runs; docs/benchmarks.md, "SQLite page cache and memory
# map"), a 32 MiB cache or a 256 MiB map saved no CPU: the operating system's file cache
# already holds the pages, and the map counts the file in the process's memory (414 MB
# peak against 150 MB). Environment variables (whole MiB) override them for a machine
# where that differs; 0 turns the memory map off.
SQLITE_CACHE_MIB = 2
SQLITE_MMAP_MIB = 0
ENV_SQLITE_CACHE_MIB = "CONSOLE_SQLITE_CACHE_MIB"
ENV_SQLITE_MMAP_MIB = "CONSOLE_SQLITE_MMAP_MIB"


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached or stayed locked; nothing was changed."""


def make_engine(url: str) -> Engine:
    """A new engine for `url`, with SQLite set up for a multi-user console.

    Waiting for a pooled connection gives up after the pool timeout, and the
    engine honours `lib.db.limits.statement_timeout` (both `[database]` settings).
    """
    pool_timeout = load_limits().pool_timeout_seconds
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               pool_timeout=pool_timeout)
        event.listen(engine, "connect", partial(_sqlite_pragmas, sqlite_memory()))
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_recycle=1800, pool_timeout=pool_timeout)
    install_statement_timeout(engine)
    return engine


def sqlite_memory() -> tuple[int, int]:
    """(page cache MiB, memory map MiB) for new SQLite connections."""
    def mib(name: str, default: int) -> int:
        value = os.environ.get(name, "").strip()
        return int(value) if value.isdigit() else default
    return mib(ENV_SQLITE_CACHE_MIB, SQLITE_CACHE_MIB), mib(ENV_SQLITE_MMAP_MIB, SQLITE_MMAP_MIB)


def _sqlite_pragmas(memory: tuple[int, int], dbapi_connection, _record) -> None:
    # WAL lets readers work while a writer writes; foreign keys are off by
    # default in SQLite. The busy timeout (wait for a lock instead of failing)
    # is the driver's `timeout` connect argument above: sqlite3_busy_timeout.
    cache_mib, mmap_mib = memory
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{int(cache_mib) * 1024}")   # negative: KiB
    cursor.execute(f"PRAGMA mmap_size={int(mmap_mib) * 1024 * 1024}")
    cursor.close()


@lru_cache(maxsize=8)
def _cached_engine(url: str) -> Engine:
    return make_engine(url)


def get_engine(url: str | None = None) -> Engine:
    """The shared engine for `url` (default: the configured service database)."""
    return _cached_engine(url or config.database_url())


def is_unavailable(error: BaseException) -> bool:
    """True for errors that mean 'database down or locked', not a bug."""
    return isinstance(error, (OperationalError, DatabaseUnavailable)) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )
