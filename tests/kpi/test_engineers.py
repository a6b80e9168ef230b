"""KPI 3, engineer star levels, and the engineer pages' figures.

As-of 2026-06-30 12:00:00; the 90-day window starts 2026-04-01 12:00:00
(April 30 + May 31 + June 29.5 days back). Ratings, all in mid-window unless said:
    e1  8x5 + 2x4 = 48/10 = 4.8            -> 5 stars (threshold exactly)
    e2  5x5 + 5x4 = 45/10 = 4.5            -> 4
    e3  10x4 = 4.0 (city 2)                -> 3
    e4  10x3 = 3.0                         -> 2
    e5  9x3 + 1x2 = 29/10 = 2.9            -> 1
    e6  9x5 (+1x1 rated after as-of) (+1x1 rated mid-window on an order created one
        second after as-of: a wrong clock; the order does not exist yet)
                                           -> 9 ratings, avg 5.0, unrated
    e7  5 at window start exactly, 8x5, 5 at as-of exactly; 1 one second before the
        window and 1 one second after as-of (both excluded)   -> 10, avg 5.0, 5 stars
    e8  9x5 + 5 on an order cancelled after as-of (counts) + 1 on an order cancelled
        before as-of (left out)            -> 10, avg 5.0, 5 stars
    e9  registered after as-of             -> does not exist
    e10 no ratings                         -> 0, None, None
    e11 registered exactly at as-of        -> exists, no ratings
    e12 repairs (below), 1 rating of 4 on 05-02 -> 1, 4.0, unrated
    e13 follow-up repairs only             -> no ratings

First-time fix, range May 2026, 30-day follow-up:
    p1: r1 (e12) completed 05-01 12:00:00; r2 (e13) created 05-31 11:59:59, within 30 days
        -> r1 not fixed. r2's window closes after as-of: not counted.
    p2: r3 (e12) completed 05-02 12:00:00; r4 (e13) created 06-01 12:00:00 = exactly 30 days
        -> r3 fixed. r4 completed in June: out of range.
    p3: r5 (e12) 05-03; follow-up repair r6 cancelled -> r5 fixed.
    p4: r7 (e12) 05-04; a follow-up cleaning is not a repair -> r7 fixed.
  e12: 4 repairs, 3 fixed, 0.75.
"""
from datetime import date, datetime, timedelta

import pandas as pd

from lib.kpi.engineers import (engineer_detail, engineer_star_levels, first_time_fix,
                               star_level_distribution)
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sla import SlaSummary

AS_OF = datetime(2026, 6, 30, 12, 0, 0)
WINDOW_START = datetime(2026, 4, 1, 12, 0, 0)
MID = datetime(2026, 5, 15, 10, 0)
D = datetime


def build(make):
    city2 = make.city()
    ids = {"city2": city2}
    engineer = {}
    for n in range(1, 14):
        more = {"city_id": city2} if n == 3 else {}
        if n == 9:
            more["registered_at"] = D(2026, 7, 1)
        if n == 11:
            more["registered_at"] = AS_OF
        engineer[n] = ids[f"e{n}"] = make.engineer(name=f"师傅{n}", **more)

    def rate(n, stars, rated_at=MID, **order):
        make.rating(order_id=make.order(engineer_id=engineer[n], **order), stars=stars,
                    rated_at=rated_at)

    for n, stars in ((1, [5] * 8 + [4] * 2), (2, [5] * 5 + [4] * 5), (3, [4] * 10),
                     (4, [3] * 10), (5, [3] * 9 + [2]), (6, [5] * 9)):
        for s in stars:
            rate(n, s)
    rate(6, 1, rated_at=AS_OF + timedelta(seconds=1))
    rate(6, 1, created_at=AS_OF + timedelta(seconds=1))   # rated at MID, before it was created
    rate(7, 5, rated_at=WINDOW_START)
    for _ in range(8):
        rate(7, 5)
    rate(7, 5, rated_at=AS_OF)
    rate(7, 1, rated_at=WINDOW_START - timedelta(seconds=1))
    rate(7, 1, rated_at=AS_OF + timedelta(seconds=1))
    for _ in range(9):
        rate(8, 5)
    rate(8, 5, cancelled_at=D(2026, 7, 1))
    rate(8, 1, cancelled_at=D(2026, 6, 1))

    e12, e13 = engineer[12], engineer[13]
    p1, p2, p3, p4 = (make.appliance() for _ in range(4))

    def repair(appliance, eng, created, completed=None, **more):
        return make.order(appliance_id=appliance, engineer_id=eng, service_type="repair",
                          created_at=created, completed_at=completed, **more)
    r1 = repair(p1, e12, D(2026, 5, 1, 9), D(2026, 5, 1, 12, 0, 0))
    make.rating(order_id=r1, stars=4, rated_at=D(2026, 5, 2))
    repair(p1, e13, D(2026, 5, 31, 11, 59, 59), D(2026, 5, 31, 15))
    repair(p2, e12, D(2026, 5, 2, 9), D(2026, 5, 2, 12, 0, 0))
    repair(p2, e13, D(2026, 6, 1, 12, 0, 0), D(2026, 6, 1, 14))
    repair(p3, e12, D(2026, 5, 3, 8), D(2026, 5, 3, 10))
    repair(p3, e13, D(2026, 5, 10), cancelled_at=D(2026, 5, 11))
    repair(p4, e12, D(2026, 5, 4, 8), D(2026, 5, 4, 10))
    make.order(appliance_id=p4, engineer_id=e13, service_type="cleaning",
               created_at=D(2026, 5, 5), completed_at=D(2026, 5, 5, 10))
    make.order(engineer_id=e12, service_type="install", created_at=D(2026, 5, 10, 10),
               completed_at=D(2026, 5, 10, 20), payout_fen=5000)
    return ids


def _f(**more):
    return KpiFilters(date(2026, 5, 1), date(2026, 5, 31), AS_OF, **more)


EXPECTED = {  # engineer: (ratings, avg_stars, star_level)
    1: (10, 4.8, 5), 2: (10, 4.5, 4), 3: (10, 4.0, 3), 4: (10, 3.0, 2), 5: (10, 2.9, 1),
    6: (9, 5.0, None), 7: (10, 5.0, 5), 8: (10, 5.0, 5), 10: (0, None, None),
    11: (0, None, None), 12: (1, 4.0, None), 13: (0, None, None),
}


def _rows(frame):
    return {row.engineer_id: (row.ratings, None if pd.isna(row.avg_stars) else row.avg_stars,
                              None if pd.isna(row.star_level) else int(row.star_level))
            for row in frame.itertuples()}


def test_star_table(hand_built_db):
    engine, ids = hand_built_db
    frame = engineer_star_levels(engine, _f())
    expected = {ids[f"e{n}"]: figures for n, figures in EXPECTED.items()}
    assert _rows(frame) == expected
    assert frame["engineer_id"].tolist() == sorted(expected)  # e9 does not exist yet
    assert "phone" not in frame.columns and "id_card_no" not in frame.columns


def test_rating_of_an_order_created_after_as_of(hand_built_db):
    # e6's tenth rating is dated mid-window, but its order was created one second after
    # as-of (a wrong clock): the order does not exist yet, so neither does the rating.
    engine, ids = hand_built_db
    assert _rows(engineer_star_levels(engine, _f()))[ids["e6"]] == (9, 5.0, None)
    # One second later the order exists: 9 + that rating + the one rated at as-of + 1 s.
    frame = engineer_star_levels(engine, _f().replace(as_of=AS_OF + timedelta(seconds=1)))
    assert _rows(frame)[ids["e6"]][0] == 11


def test_city_filter_is_the_engineers_city(hand_built_db):
    engine, ids = hand_built_db
    frame = engineer_star_levels(engine, _f(city_ids=(ids["city2"],)))
    assert frame["engineer_id"].tolist() == [ids["e3"]]


def test_window_setting(hand_built_db):
    # A 30-day window (from 05-31 12:00) leaves e1's mid-May ratings out.
    engine, ids = hand_built_db
    frame = engineer_star_levels(engine, _f(), KpiSettings(star_window_days=30))
    assert _rows(frame)[ids["e1"]] == (0, None, None)
    assert _rows(frame)[ids["e7"]] == (1, 5.0, None)  # only the one at as-of


def test_distribution(hand_built_db):
    # 5: e1 e7 e8; 4: e2; 3: e3; 2: e4; 1: e5; unrated: e6 e10 e11 e12 e13
    engine, _ = hand_built_db
    frame = star_level_distribution(engine, _f())
    assert frame.values.tolist() == [["5", 3], ["4", 1], ["3", 1], ["2", 1], ["1", 1],
                                     ["unrated", 5]]


def test_first_time_fix(hand_built_db):
    engine, ids = hand_built_db
    frame = first_time_fix(engine, _f())
    assert frame.values.tolist() == [[ids["e12"], 4, 3, 0.75]]


def test_engineer_detail(hand_built_db):
    # e12 in May: r1 r3 r5 r7 (8000 fen each) and an install (5000, met) completed;
    # one rating (4) on 05-02.
    engine, ids = hand_built_db
    detail = engineer_detail(engine, _f(), ids["e12"])
    assert (detail.completed, detail.payout_fen) == (5, 37000)
    assert detail.monthly.values.tolist() == [["2026-05", 5, 37000, 1, 4.0]]
    assert detail.sla == SlaSummary(1, 1, 0, 0, 1.0)
    assert (detail.ratings, detail.avg_stars, detail.star_level) == (1, 4.0, None)
    assert (detail.first_time_fix.repairs, detail.first_time_fix.fixed,
            detail.first_time_fix.rate) == (4, 3, 0.75)


def test_engineer_detail_before_registration(hand_built_db):
    engine, ids = hand_built_db
    assert engineer_detail(engine, _f(), ids["e9"]) is None
