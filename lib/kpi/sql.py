"""Portable date/time SQL for SQLite, PostgreSQL and MariaDB.

Timestamps are naive Beijing time. On SQLite they are text, stored by
SQLAlchemy as 'YYYY-MM-DD HH:MM:SS.ffffff', while SQLite's own date functions
return 'YYYY-MM-DD HH:MM:SS'. Text comparison of the two forms is right for
`stored >= moment` and `stored < moment` (a stored value equal to the moment
sorts after it), wrong for `<=` and `>`. So every comparison between a stored
column and a moment (bound with `moment()` or computed here) is written as
`column >= m` or `column < m`; "at or before as-of" is `column < as_of + 1 s`.
That also holds if another system stored the short form.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Date, DateTime, Integer, String, bindparam, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.types import TypeDecorator

_MYSQL = ("mysql", "mariadb")


class _Moment(TypeDecorator):
    """A bound timestamp; on SQLite the short text form (see module doc)."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(String() if dialect.name == "sqlite" else DateTime())

    def process_bind_param(self, value, dialect):
        if value is not None and dialect.name == "sqlite":
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value


def moment(value: datetime) -> ColumnElement:
    """`value` as a bound timestamp parameter, comparable with stored columns."""
    return bindparam(None, value, type_=_Moment())


def integer(value: int) -> ColumnElement:
    """An integer written into the SQL text (no parameter): safe in GROUP BY on PostgreSQL."""
    return literal_column(str(int(value)), Integer)


def _register(construct, sqlite: str, postgresql: str, mysql: str) -> None:
    """Compile `construct` from per-dialect templates over its compiled arguments."""
    def render(template):
        def compile_(element, compiler, **kw):
            args = [compiler.process(arg, **kw) for arg in element.clauses]
            return template.format(*args)
        return compile_
    compiles(construct)(render(postgresql))
    compiles(construct, "sqlite")(render(sqlite))
    for name in _MYSQL:
        compiles(construct, name)(render(mysql))


class date_of(FunctionElement):
    """The calendar date of a timestamp (a `date`)."""
    type = Date()
    inherit_cache = True
    name = "date_of"


class week_of(FunctionElement):
    """The Monday (ISO week start) of a timestamp's week (a `date`)."""
    type = Date()
    inherit_cache = True
    name = "week_of"


class month_of(FunctionElement):
    """'YYYY-MM' of a timestamp."""
    type = String()
    inherit_cache = True
    name = "month_of"


class month_start(FunctionElement):
    """00:00:00 of the first day of a timestamp's month."""
    type = DateTime()
    inherit_cache = True
    name = "month_start"


class months_after(FunctionElement):
    """`months_after(ts, n)`: 00:00:00 of the first day of the month n months after ts's
    month (n an integer expression; see `integer`)."""
    type = DateTime()
    inherit_cache = True
    name = "months_after"


class hour_of(FunctionElement):
    """The hour 0-23 of a timestamp."""
    type = Integer()
    inherit_cache = True
    name = "hour_of"


class day_start(FunctionElement):
    """00:00:00 of a timestamp's day."""
    type = DateTime()
    inherit_cache = True
    name = "day_start"


class add_seconds(FunctionElement):
    """`add_seconds(ts, n)`: ts plus n seconds (n an integer expression; see `integer`)."""
    type = DateTime()
    inherit_cache = True
    name = "add_seconds"


class seconds_between(FunctionElement):
    """`seconds_between(a, b)`: whole seconds from a to b (b - a)."""
    type = Integer()
    inherit_cache = True
    name = "seconds_between"


# SQLite: the stored text begins 'YYYY-MM-DD HH' (see module doc), so date, month and
# hour are prefixes of it: substr is several times cheaper than date()/strftime() over
# a million rows and gives the same text.
_register(date_of, "substr({0}, 1, 10)", "CAST({0} AS DATE)", "DATE({0})")
_register(week_of,
          "date({0}, '-' || ((CAST(strftime('%w', {0}) AS INTEGER) + 6) % 7) || ' days')",
          "CAST(date_trunc('week', {0}) AS DATE)",
          "DATE_SUB(DATE({0}), INTERVAL WEEKDAY({0}) DAY)")
_register(month_of, "substr({0}, 1, 7)", "to_char({0}, 'YYYY-MM')",
          "LEFT(CAST({0} AS CHAR), 7)")
_register(month_start, "datetime({0}, 'start of month')", "date_trunc('month', {0})",
          "CAST(DATE_SUB(DATE({0}), INTERVAL DAYOFMONTH({0}) - 1 DAY) AS DATETIME)")
_register(months_after, "datetime({0}, 'start of month', '+' || ({1}) || ' months')",
          "(date_trunc('month', {0}) + ({1}) * INTERVAL '1 month')",
          "CAST(DATE_ADD(DATE_SUB(DATE({0}), INTERVAL DAYOFMONTH({0}) - 1 DAY), "
          "INTERVAL {1} MONTH) AS DATETIME)")
_register(hour_of, "CAST(substr({0}, 12, 2) AS INTEGER)",
          "CAST(EXTRACT(HOUR FROM {0}) AS INTEGER)", "HOUR({0})")
_register(day_start, "datetime({0}, 'start of day')", "date_trunc('day', {0})",
          "CAST(DATE({0}) AS DATETIME)")
_register(add_seconds, "datetime({0}, ({1}) || ' seconds')",
          "({0} + ({1}) * INTERVAL '1 second')", "CAST(TIMESTAMPADD(SECOND, {1}, {0}) AS DATETIME)")
_register(seconds_between,
          "(CAST(strftime('%s', {1}) AS INTEGER) - CAST(strftime('%s', {0}) AS INTEGER))",
          "CAST(EXTRACT(EPOCH FROM ({1} - {0})) AS BIGINT)",
          "TIMESTAMPDIFF(SECOND, {0}, {1})")


class unindexed(FunctionElement):
    """The column itself, marked so that SQLite's planner does not pick an index on it
    (SQLite's documented unary `+`): for correlated subqueries where another index
    (on the correlated key) is the right one. Other backends plan by statistics."""
    inherit_cache = True
    name = "unindexed"

    @property
    def type(self):
        return self.clauses.clauses[0].type


_register(unindexed, "+{0}", "{0}", "{0}")
