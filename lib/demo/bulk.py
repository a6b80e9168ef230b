"""Bulk loading for the demo builder: many rows fast, on each backend.

Rows are tuples in a table's column order with explicit ids, timestamps as
strings in SQLAlchemy's own SQLite storage format (so string comparisons in
SQLite agree with values SQLAlchemy writes), dates as 'YYYY-MM-DD'.

Why not `connection.execute(insert(table), dicts)`: for a million orders it
spends most of its time building and processing dicts (measured about 3x
slower on SQLite). So: SQLite and MariaDB get one DBAPI `executemany` of
tuples (PyMySQL rewrites it into multi-row INSERTs), PostgreSQL gets
`COPY ... FROM STDIN` (about 5x faster than executemany there).

`bulk_mode` goes further, measured on 200k orders into SQLite: the schema's
`x IN (...)` CHECK constraints cost SQLite ~20 µs per row (4.7 s against 0.9 s
without), and the six KPI indexes on service_orders make inserts ~8x slower
than building them afterwards. On PostgreSQL the per-row foreign-key triggers
take three quarters of the time (100k orders: 18.7 s against 4.6 s without).
So during a build SQLite skips CHECK and foreign-key enforcement, MariaDB
skips foreign-key checks (the builder makes valid rows by construction;
tests/demo checks them), PostgreSQL drops its foreign keys and adds them
back at the end (which checks every row once), and on SQLite and PostgreSQL
the console's KPI indexes are dropped and rebuilt at the end. MariaDB keeps
them: InnoDB may use them as the indexes its foreign keys require.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np
from sqlalchemy import Connection, ForeignKeyConstraint, Table, func, select, text
from sqlalchemy.schema import AddConstraint, DropConstraint

from lib.db.schema import KPI_INDEXES, SERVICE_TABLES

SQLITE_BULK_PRAGMAS = {"foreign_keys": ("OFF", "ON"), "ignore_check_constraints": ("ON", "OFF"),
                       "cache_size": ("-131072", "-2000")}  # (during the build, afterwards)

_FRACTION = np.array([ord(c) for c in ".000000"], dtype=np.uint32)


def stamps(seconds: np.ndarray, base: np.datetime64, missing: np.ndarray | None = None) -> list:
    """'YYYY-MM-DD HH:MM:SS.000000' strings for `base` + seconds; None where missing."""
    moments = base + seconds.astype("timedelta64[s]")
    short = np.datetime_as_string(moments, unit="s").astype("<U19")  # YYYY-MM-DDTHH:MM:SS
    codes = np.empty((len(short), 26), dtype=np.uint32)
    codes[:, :19] = short.view(np.uint32).reshape(-1, 19)
    codes[:, 10] = ord(" ")
    codes[:, 19:] = _FRACTION
    out = codes.view("<U26").ravel()
    if missing is None:
        return out.tolist()
    out = out.astype(object)
    out[missing] = None
    return out.tolist()


def dates(days: np.ndarray, base: np.datetime64, missing: np.ndarray | None = None) -> list:
    """'YYYY-MM-DD' strings for `base` + days; None where missing."""
    out = np.datetime_as_string(base.astype("datetime64[D]") + days.astype("timedelta64[D]"))
    if missing is None:
        return out.tolist()
    out = out.astype(object)
    out[missing] = None
    return out.tolist()


class LazyRows:
    """Rows made a slice at a time by `make(lo, hi)`, so a big table is never all in memory."""

    def __init__(self, count: int, make: Callable[[int, int], list]):
        self.count, self.make = count, make

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, part: slice) -> list:
        return self.make(part.start, min(part.stop, self.count))


class Loader:
    """Writes row tuples into one table after another on one connection."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.dialect = connection.dialect.name
        self._quote = connection.dialect.identifier_preparer.quote

    def write(self, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
        rows = list(rows)
        if not rows:
            return
        names = ", ".join(self._quote(c) for c in columns)
        if self.dialect == "postgresql":
            cursor = self.connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {self._quote(table.name)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.close()
            return
        marks = ", ".join(["?" if self.dialect == "sqlite" else "%s"] * len(columns))
        sql = f"INSERT INTO {self._quote(table.name)} ({names}) VALUES ({marks})"
        self.connection.exec_driver_sql(sql, rows)

    def finish(self, tables: Iterable[Table]) -> None:
        """Move PostgreSQL's id sequences past the explicit ids written."""
        if self.dialect != "postgresql":
            return
        for table in tables:
            top = self.connection.execute(select(func.max(table.c.id))).scalar()
            if top:
                self.connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                    {"t": table.name, "v": top})


def _foreign_keys() -> list[ForeignKeyConstraint]:
    return [fk for table in SERVICE_TABLES for fk in table.foreign_key_constraints]


@contextmanager
def bulk_mode(connection: Connection) -> Iterator[None]:
    """Loading settings for the build on `connection`, restored however it ends."""
    dialect = connection.dialect.name
    connection.commit()
    if dialect == "sqlite":  # PRAGMAs apply to this connection only, outside a transaction
        for name, (during, _) in SQLITE_BULK_PRAGMAS.items():
            connection.exec_driver_sql(f"PRAGMA {name}={during}")
    elif dialect in ("mysql", "mariadb"):
        connection.exec_driver_sql("SET SESSION foreign_key_checks = 0")
    elif dialect == "postgresql":  # a demo build may lose its last batches in a crash
        connection.exec_driver_sql("SET synchronous_commit = off")
        connection.exec_driver_sql("SET maintenance_work_mem = '256MB'")
    rebuild = dialect in ("sqlite", "postgresql")
    if rebuild:
        for index in KPI_INDEXES:
            index.drop(connection, checkfirst=True)
    foreign_keys = _foreign_keys() if dialect == "postgresql" else []
    for constraint in foreign_keys:
        connection.execute(DropConstraint(constraint))
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        for constraint in foreign_keys:  # adding them back checks every row once
            # isolate_from_table=False: by default SQLAlchemy marks the constraint as
            # "added by ALTER", and every later CREATE TABLE in this process would
            # leave it out (a second database built here had no foreign keys).
            connection.execute(AddConstraint(constraint, isolate_from_table=False))
        if rebuild:
            for index in KPI_INDEXES:
                index.create(connection, checkfirst=True)
        connection.commit()
        if dialect in ("mysql", "mariadb"):
            connection.exec_driver_sql("SET SESSION foreign_key_checks = 1")
        elif dialect == "postgresql":
            connection.exec_driver_sql("RESET synchronous_commit")
            connection.exec_driver_sql("RESET maintenance_work_mem")
        if dialect == "sqlite":
            for name, (_, after) in SQLITE_BULK_PRAGMAS.items():
                connection.exec_driver_sql(f"PRAGMA {name}={after}")
            connection.commit()
