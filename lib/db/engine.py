"""Engine factory. Every query and command receives its engine from here."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError

from lib import config
from lib.db.limits import install_statement_timeout, load_limits

SQLITE_BUSY_TIMEOUT_MS = 5000


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
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_recycle=1800, pool_timeout=pool_timeout)
    install_statement_timeout(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers work while a writer writes; foreign keys are off by
    # default in SQLite. The busy timeout (wait for a lock instead of failing)
    # is the driver's `timeout` connect argument above: sqlite3_busy_timeout.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
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
