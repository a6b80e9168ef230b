"""Bulk loading for the demo builder: many rows fast, on each backend.

Rows are tuples in a table's column order with explicit ids, timestamps as
strings in SQLAlchemy's own SQLite storage format (so string comparisons in
SQLite agree with values SQLAlchemy writes), dates as 'YYYY-MM-DD'.

Why not `connection.execute(insert(table), dicts)`: for a million orders it
spends most of its time building and processing dicts (measured about 3x
slower on SQLite). So: SQLite and MariaDB get one DBAPI `executemany` of
tuples (PyMySQL rewrites it into multi-row INSERTs), PostgreSQL gets
`COPY ... FROM STDIN` (about 5x faster than executemany there).
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
from sqlalchemy import Connection, Table, func, select, text

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


def columns_to_rows(*columns: Sequence) -> list[tuple]:
    return list(zip(*columns))


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
