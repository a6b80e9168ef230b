"""The portable date/time constructs give identical answers on every backend."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from lib.db import schema as s
from lib.kpi.sql import (add_seconds, date_of, day_start, hour_of, integer, moment, month_of,
                         month_start, months_after, seconds_between, week_of)

STORED = {
    "sunday": datetime(2026, 3, 1, 23, 59, 59),
    "monday": datetime(2026, 3, 2, 0, 0, 0),
    "before_cutoff": datetime(2026, 3, 4, 10, 59, 59),
    "at_cutoff": datetime(2026, 3, 4, 11, 0, 0),
    "new_year": datetime(2026, 1, 1, 8, 30, 0),   # a Thursday
    "month_end": datetime(2026, 2, 28, 12, 0, 0),
    "month_first": datetime(2026, 3, 1, 0, 0, 0),
}


def build(make):
    ids = {}
    for name, moment_ in STORED.items():
        ids[name] = make.member(name=name, joined_at=moment_)
    return ids


def _value(hand_built_db, name, expression):
    engine, ids = hand_built_db
    joined = s.members.c.joined_at
    with engine.connect() as connection:
        return connection.execute(
            select(expression(joined)).where(s.members.c.id == ids[name])).scalar()


@pytest.mark.parametrize("name,construct,expected", [
    ("sunday", date_of, date(2026, 3, 1)),
    ("before_cutoff", date_of, date(2026, 3, 4)),
    ("sunday", week_of, date(2026, 2, 23)),       # ISO weeks start on Monday
    ("monday", week_of, date(2026, 3, 2)),
    ("new_year", week_of, date(2025, 12, 29)),
    ("new_year", month_of, "2026-01"),
    ("sunday", month_of, "2026-03"),
    ("before_cutoff", hour_of, 10),
    ("at_cutoff", hour_of, 11),
    ("before_cutoff", day_start, datetime(2026, 3, 4)),
    ("month_end", month_start, datetime(2026, 2, 1)),
    ("month_first", month_start, datetime(2026, 3, 1)),
    ("month_end", lambda c: months_after(c, integer(12)), datetime(2027, 2, 1)),
    ("new_year", lambda c: months_after(c, integer(11)), datetime(2026, 12, 1)),
    ("sunday", lambda c: months_after(c, integer(10)), datetime(2027, 1, 1)),
    ("sunday", lambda c: months_after(c, integer(0)), datetime(2026, 3, 1)),
])
def test_constructs(hand_built_db, name, construct, expected):
    assert _value(hand_built_db, name, construct) == expected


@pytest.mark.parametrize("name,seconds,expected", [
    ("month_end", 86400, datetime(2026, 3, 1, 12, 0, 0)),   # over a month end
    ("monday", -1, datetime(2026, 3, 1, 23, 59, 59)),
    ("sunday", 1, datetime(2026, 3, 2, 0, 0, 0)),
])
def test_add_seconds(hand_built_db, name, seconds, expected):
    assert _value(hand_built_db, name, lambda c: add_seconds(c, integer(seconds))) == expected


def test_seconds_between(hand_built_db):
    # 2026-03-01 23:59:59 to 2026-03-03 00:00:00 is 1 day and 1 second.
    later = moment(datetime(2026, 3, 3))
    assert _value(hand_built_db, "sunday", lambda c: seconds_between(c, later)) == 86401


@pytest.mark.parametrize("bound,expected", [
    # stored 2026-03-02 00:00:00 compared with a bound moment, both directions
    (datetime(2026, 3, 2, 0, 0, 0), (True, False)),
    (datetime(2026, 3, 2, 0, 0, 1), (False, True)),
    (datetime(2026, 3, 1, 23, 59, 59), (True, False)),
])
def test_stored_against_bound_moment(hand_built_db, bound, expected):
    ge = _value(hand_built_db, "monday", lambda c: c >= moment(bound))
    lt = _value(hand_built_db, "monday", lambda c: c < moment(bound))
    assert (bool(ge), bool(lt)) == expected


def test_stored_against_computed_moment(hand_built_db):
    # stored 2026-03-02 00:00:00 against day_start + 1 day of Sunday 23:59:59 (the same moment)
    computed = lambda c: add_seconds(day_start(c), integer(86400))  # noqa: E731
    engine, ids = hand_built_db
    joined = s.members.c.joined_at
    with engine.connect() as connection:
        other = s.members.alias()
        row = connection.execute(
            select(joined >= computed(other.c.joined_at), joined < computed(other.c.joined_at))
            .select_from(s.members.join(other, other.c.id == ids["sunday"]))
            .where(s.members.c.id == ids["monday"])).one()
    assert (bool(row[0]), bool(row[1])) == (True, False)


def test_stored_against_computed_month_start(hand_built_db):
    # stored 2026-03-01 00:00:00 is at (not before) its own month's start, and not before
    # the month after 2026-02-28's month, which is that same moment
    engine, ids = hand_built_db
    joined = s.members.c.joined_at
    other = s.members.alias()
    with engine.connect() as connection:
        row = connection.execute(
            select(joined >= month_start(joined),
                   joined < months_after(other.c.joined_at, integer(1)),
                   joined >= months_after(other.c.joined_at, integer(1)))
            .select_from(s.members.join(other, other.c.id == ids["month_end"]))
            .where(s.members.c.id == ids["month_first"])).one()
    assert tuple(map(bool, row)) == (True, False, True)
