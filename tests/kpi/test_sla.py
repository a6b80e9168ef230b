"""KPI 2, the 24-hour install promise, on hand-worked rows (as-of 2026-03-10 00:00:00).

City A joined the promise 2026-03-02, city B 2026-03-03, city C never.
Due: created before 11:00 -> 00:00 next day; at/after 11:00 -> 12:00 next day.
    o1  A 03-02 10:59:59 due 03-03 00:00  completed 03-03 00:00:00      met (at due)
    o2  A 03-02 10:59:59 due 03-03 00:00  completed 03-03 00:00:01      breached
    o3  A 03-02 11:00:00 due 03-03 12:00  completed 03-03 12:00:00      met
    o4  A 03-02 11:00:00 due 03-03 12:00  completed 03-03 12:00:01      breached
    o5  A 03-04 09:00    due 03-05 00:00  open                           breached
    o6  A 03-04 09:00    due 03-05 00:00  completed 03-11 (after as-of)  breached
    o7  A 03-04 09:00    completed 03-04 15:00 and cancelled 03-04 16:00 cancelled: out
    o8  A 03-04 09:00    completed 03-04 12:00, cancelled 03-11 (after)  met
    o9  A 03-04 repair                                                   not an install
    o10 A 03-09 12:00    due 03-10 12:00  open                           pending
    o11 B 03-02 10:00    city joined 03-03, after the order date          not eligible
    o12 B 03-03 10:00    (city joined that very day) completed 03-03 12:00, brand 2  met
    o13 C 03-05 10:00    city not covered                                 not eligible
Eligible 9; met 4 (o1 o3 o8 o12); breached 4 (o2 o4 o5 o6); pending 1 (o10).
"""
from datetime import date, datetime

import pandas as pd
import pytest

from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sla import (SlaSummary, due_moment, sla_at_risk, sla_breaches, sla_by_brand,
                         sla_by_city, sla_by_cutoff, sla_over_time, sla_summary)

AS_OF = datetime(2026, 3, 10)
D = datetime


def build(make):
    a = make.city(sla_24h_since=date(2026, 3, 2))
    b = make.city(sla_24h_since=date(2026, 3, 3))
    c = make.city(sla_24h_since=None)
    ca, cb, cc = (make.community(city_id=city) for city in (a, b, c))
    brand, brand2 = make.brand(), make.brand()
    member = make.member(community_id=ca)
    ids = {"a": a, "b": b, "brand2": brand2}

    def order(name, community, created, service_type="install", **more):
        more.setdefault("brand_id", brand)
        ids[name] = make.order(community_id=community, member_id=member, created_at=created,
                               service_type=service_type, **more)
    order("o1", ca, D(2026, 3, 2, 10, 59, 59), completed_at=D(2026, 3, 3, 0, 0, 0))
    order("o2", ca, D(2026, 3, 2, 10, 59, 59), completed_at=D(2026, 3, 3, 0, 0, 1))
    order("o3", ca, D(2026, 3, 2, 11, 0, 0), completed_at=D(2026, 3, 3, 12, 0, 0))
    order("o4", ca, D(2026, 3, 2, 11, 0, 0), completed_at=D(2026, 3, 3, 12, 0, 1))
    order("o5", ca, D(2026, 3, 4, 9, 0))
    order("o6", ca, D(2026, 3, 4, 9, 0), completed_at=D(2026, 3, 11))
    order("o7", ca, D(2026, 3, 4, 9, 0), completed_at=D(2026, 3, 4, 15),
          cancelled_at=D(2026, 3, 4, 16))
    order("o8", ca, D(2026, 3, 4, 9, 0), completed_at=D(2026, 3, 4, 12),
          cancelled_at=D(2026, 3, 11))
    order("o9", ca, D(2026, 3, 4, 9, 0), service_type="repair")
    order("o10", ca, D(2026, 3, 9, 12, 0))
    order("o11", cb, D(2026, 3, 2, 10, 0), completed_at=D(2026, 3, 2, 12))
    order("o12", cb, D(2026, 3, 3, 10, 0), completed_at=D(2026, 3, 3, 12), brand_id=brand2)
    order("o13", cc, D(2026, 3, 5, 10, 0), completed_at=D(2026, 3, 5, 12))
    return ids


def _f(start=date(2026, 3, 1), end=date(2026, 3, 10), as_of=AS_OF, **more):
    return KpiFilters(start, end, as_of, **more)


def test_summary(hand_built_db):
    engine, _ = hand_built_db
    assert sla_summary(engine, _f()) == SlaSummary(9, 4, 4, 1, 0.5)


def test_by_city(hand_built_db):
    engine, ids = hand_built_db
    frame = sla_by_city(engine, _f())
    rows = frame[["city_id", "eligible", "met", "breached", "pending", "compliance"]]
    # A: met o1 o3 o8, breached o2 o4 o5 o6, pending o10 -> 3/7; B: o12 met.
    assert rows.values.tolist() == [[ids["a"], 8, 3, 4, 1, 3 / 7], [ids["b"], 1, 1, 0, 0, 1.0]]


def test_by_brand_and_filters(hand_built_db):
    engine, ids = hand_built_db
    frame = sla_by_brand(engine, _f())
    assert frame["eligible"].tolist() == [8, 1]
    assert frame["brand_id"].tolist()[1] == ids["brand2"] and "brand" in frame.columns
    assert sla_summary(engine, _f(brand_ids=(ids["brand2"],))) == SlaSummary(1, 1, 0, 0, 1.0)
    assert sla_summary(engine, _f(city_ids=(ids["b"],))) == SlaSummary(1, 1, 0, 0, 1.0)
    assert sla_summary(engine, _f(service_types=("repair",))) == SlaSummary(0, 0, 0, 0, None)


def test_by_cutoff(hand_built_db):
    # before 11:00: o1 o2 o5 o6 o8 o12 -> met o1 o8 o12, breached o2 o5 o6;
    # at/after 11:00: o3 met, o4 breached, o10 pending.
    engine, _ = hand_built_db
    frame = sla_by_cutoff(engine, _f())
    assert frame.values.tolist() == [[False, 3, 1, 1, 1, 0.5], [True, 6, 3, 3, 0, 0.5]]


def test_over_time(hand_built_db):
    engine, _ = hand_built_db
    days = sla_over_time(engine, _f(), grain="day")
    assert days[["period", "met", "breached", "pending"]].values.tolist() == [
        [date(2026, 3, 2), 2, 2, 0], [date(2026, 3, 3), 1, 0, 0],
        [date(2026, 3, 4), 1, 2, 0], [date(2026, 3, 9), 0, 0, 1]]
    weeks = sla_over_time(engine, _f(), grain="week")  # 2026-03-02 is a Monday
    assert weeks[["period", "met", "breached", "pending"]].values.tolist() == [
        [date(2026, 3, 2), 4, 4, 0], [date(2026, 3, 9), 0, 0, 1]]


@pytest.mark.parametrize("as_of,expected", [
    # range 03-02 only: o1 o2 (due 03-03 00:00), o3 o4 (due 03-03 12:00)
    (D(2026, 3, 2, 23, 59, 59), SlaSummary(4, 0, 0, 4, None)),
    # o1 completed exactly at as-of: completed; o2 open with due == as-of: pending
    (D(2026, 3, 3, 0, 0, 0), SlaSummary(4, 1, 0, 3, 1.0)),
    # one second later o2 (still open) is past due: breached; o2 completes now
    (D(2026, 3, 3, 0, 0, 1), SlaSummary(4, 1, 1, 2, 0.5)),
    (D(2026, 3, 3, 12, 0, 0), SlaSummary(4, 2, 1, 1, 2 / 3)),
    (D(2026, 3, 3, 12, 0, 1), SlaSummary(4, 2, 2, 0, 0.5)),
])
def test_moments_around_due(hand_built_db, as_of, expected):
    engine, _ = hand_built_db
    assert sla_summary(engine, _f(date(2026, 3, 2), date(2026, 3, 2), as_of)) == expected


@pytest.mark.parametrize("as_of,expected", [
    (D(2026, 3, 9, 11, 59, 59), SlaSummary(0, 0, 0, 0, None)),  # o10 not created yet
    (D(2026, 3, 10, 12, 0, 0), SlaSummary(1, 0, 0, 1, None)),   # open, due == as-of: pending
    (D(2026, 3, 10, 12, 0, 1), SlaSummary(1, 0, 1, 0, 0.0)),    # one second past due
])
def test_open_install_at_due(hand_built_db, as_of, expected):
    engine, _ = hand_built_db
    assert sla_summary(engine, _f(date(2026, 3, 9), date(2026, 3, 9), as_of)) == expected


def test_settings_change_the_cutoff(hand_built_db):
    # cut-off 10:00: o1, o2 (10:59:59) are due 03-03 12:00 too -> met; o3 met, o4 breached.
    engine, _ = hand_built_db
    st = KpiSettings(sla_cutoff_hour=10)
    assert sla_summary(engine, _f(date(2026, 3, 2), date(2026, 3, 2)), st) == \
        SlaSummary(4, 3, 1, 0, 0.75)


@pytest.mark.parametrize("as_of,bands", [
    # o10 created 03-09 12:00, due 03-10 12:00 (24 h); o5 and o6 open and overdue
    (D(2026, 3, 9, 18, 0), [1, 0, 0, 2]),    # 6 h of 24 elapsed
    (D(2026, 3, 10, 0, 0), [0, 1, 0, 2]),    # exactly half
    (D(2026, 3, 10, 6, 0), [0, 0, 1, 2]),    # exactly three quarters
    (D(2026, 3, 10, 12, 0), [0, 0, 1, 2]),   # at due: still not overdue
    (D(2026, 3, 10, 12, 0, 1), [0, 0, 0, 3]),
])
def test_at_risk(hand_built_db, as_of, bands):
    engine, _ = hand_built_db
    frame = sla_at_risk(engine, _f(as_of=as_of))
    assert frame["band"].tolist() == ["under_half", "half_to_three_quarters",
                                      "past_three_quarters", "overdue"]
    assert frame["orders"].tolist() == bands


def test_breaches_list(hand_built_db):
    engine, ids = hand_built_db
    frame = sla_breaches(engine, _f(), limit=3)
    assert frame["order_id"].tolist() == [ids["o6"], ids["o5"], ids["o4"]]  # newest first
    assert frame["due_at"].tolist() == [D(2026, 3, 5), D(2026, 3, 5), D(2026, 3, 3, 12)]
    completed = frame["completed_at"].tolist()
    assert pd.isna(completed[0]) and pd.isna(completed[1])  # still open at as-of
    assert completed[2] == D(2026, 3, 3, 12, 0, 1)
    assert list(frame.columns) == ["order_id", "city_id", "city", "created_at", "due_at",
                                   "completed_at"]


def test_due_moment_in_python():
    assert due_moment(D(2026, 3, 2, 10, 59, 59)) == D(2026, 3, 3)
    assert due_moment(D(2026, 3, 2, 11, 0, 0)) == D(2026, 3, 3, 12)
