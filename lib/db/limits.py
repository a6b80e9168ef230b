"""Bounds on the work one person can start, so that nobody starves the others.

- **Query slots**: at most `queries_per_user` (1) KPI computations of one user run at
  once (20 tabs of one manager queue behind each other, not in front of
  everybody else); a computation that waits longer than `slot_wait_seconds`
  gives up with `Busy`.
- **Statement timeout**: inside `statement_timeout(seconds)`, every statement
  the engine runs is cut off by the database after that long (PostgreSQL
  `SET LOCAL statement_timeout`, MariaDB `SET STATEMENT max_statement_time
  ... FOR`, SQLite a progress handler), so a runaway range frees its
  connection. Only the console's interactive reads run under it; the snapshot
  command and the benchmarks do not.
- **Pool timeout**: waiting for a free connection ends after `pool_timeout`
  seconds (`make_engine`), and the UI says "busy" instead of crashing.

Settings: `[database]` in `.streamlit/secrets.toml` (see `load_limits`).
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from lib import config
from lib.errors import ServiceUnavailable, UserFacingError


@dataclass(frozen=True)
class Limits:
    statement_timeout_seconds: float = 30.0
    pool_timeout_seconds: float = 10.0
    queries_per_user: int = 1
    slot_wait_seconds: float = 60.0


def load_limits() -> Limits:
    """`[database]` of the secrets file; missing keys keep the defaults above."""
    given = config.secrets().get("database", {})
    return Limits(**{k: type(getattr(Limits, k))(v) for k, v in given.items() if hasattr(Limits, k)})


class Busy(UserFacingError):
    """Too much is already running for this user or this server; nothing was changed."""

    def __init__(self):
        super().__init__("error.busy")


class TooSlow(UserFacingError):
    """The database cut a query off after the statement timeout."""

    def __init__(self, seconds: float):
        super().__init__("error.too_slow", seconds=int(seconds))


# -- query slots ---------------------------------------------------------------------
class QuerySlots:
    """Per-user counting semaphores: `with slots.taken(user): ...`.

    Re-entrant within a thread: a cached figure built from another cached
    figure runs inside the slot its caller already holds.
    """

    def __init__(self, per_user: int, wait_seconds: float):
        self.per_user, self.wait_seconds = per_user, wait_seconds
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._held = threading.local()

    def _for(self, user: str) -> threading.BoundedSemaphore:
        with self._lock:
            return self._slots.setdefault(user, threading.BoundedSemaphore(self.per_user))

    @contextmanager
    def taken(self, user: str):
        held = getattr(self._held, "users", None) or set()
        if user in held:
            yield
            return
        slot = self._for(user)
        if not slot.acquire(timeout=self.wait_seconds):
            raise Busy()
        self._held.users = held | {user}
        try:
            yield
        finally:
            self._held.users = held
            slot.release()


# -- statement timeout ---------------------------------------------------------------
_timeout: ContextVar[float | None] = ContextVar("statement_timeout", default=None)


@contextmanager
def statement_timeout(seconds: float | None):
    """Statements run in this block (this thread) are cut off after `seconds`."""
    token = _timeout.set(seconds)
    try:
        yield
    finally:
        _timeout.reset(token)


def install_statement_timeout(engine) -> None:
    """Make `engine` honour `statement_timeout()`; called once by `make_engine`."""
    event.listen(engine, "before_cursor_execute", _before, retval=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "after_cursor_execute", _sqlite_clear)
        event.listen(engine, "handle_error", lambda context: _sqlite_clear(context.connection))


def _before(connection, cursor, statement, parameters, context, executemany):
    seconds = _timeout.get()
    if not seconds or statement.lstrip().split(None, 1)[0].upper() not in ("SELECT", "WITH"):
        return statement, parameters
    dialect = connection.dialect
    if dialect.name == "postgresql":
        # LOCAL: ends with the transaction, so a pooled connection keeps no limit.
        cursor.execute(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
    elif getattr(dialect, "is_mariadb", False):
        statement = f"SET STATEMENT max_statement_time = {float(seconds)} FOR {statement}"
    elif dialect.name == "sqlite":
        deadline = time.monotonic() + seconds
        connection.connection.driver_connection.set_progress_handler(
            lambda: 1 if time.monotonic() > deadline else 0, 20_000)
    return statement, parameters


def _sqlite_clear(connection, *_args) -> None:
    if connection is not None and connection.connection.driver_connection is not None:
        connection.connection.driver_connection.set_progress_handler(None, 0)


# -- what went wrong -------------------------------------------------------------------
POSTGRES_QUERY_CANCELED = "57014"
MARIADB_STATEMENT_TIMEOUT = 1969


def was_cut_off(error: BaseException) -> bool:
    """The database stopped a statement at the statement timeout."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) == POSTGRES_QUERY_CANCELED:
        return True
    if original is not None and original.args and original.args[0] == MARIADB_STATEMENT_TIMEOUT:
        return True
    return isinstance(error, OperationalError) and "interrupted" in str(original).lower()


def as_user_facing(error: BaseException) -> UserFacingError | None:
    """A database failure as the message a user can act on; None for anything else (a bug)."""
    from lib.db.engine import is_unavailable  # engine imports this module

    if isinstance(error, UserFacingError):
        return error
    if was_cut_off(error):
        return TooSlow(load_limits().statement_timeout_seconds)
    if isinstance(error, PoolTimeout):
        return Busy()
    if is_unavailable(error):
        return ServiceUnavailable("error.database_unavailable")
    return None
