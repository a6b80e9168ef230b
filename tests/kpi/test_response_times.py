"""Response and repair times on hand-worked rows, every backend (as-of 2026-03-10).

City A: ten repairs created 03-02 09:00, dispatched after 1..10 minutes, arrived 30
minutes after dispatch, completed 1 hour after arrival; one more cancelled (out), one
never dispatched (no dispatch time). City B: one install dispatched after 2 hours.
Nearest rank: median of 1..10 minutes = the 5th (5 min), p90 = the 9th (9 min).
"""
from datetime import date, datetime, timedelta

import pytest

from lib.kpi.filters import KpiFilters
from lib.kpi.response_times import response_times

AS_OF = datetime(2026, 3, 10)
F = KpiFilters(start=date(2026, 3, 1), end=date(2026, 3, 9), as_of=AS_OF)
T0 = datetime(2026, 3, 2, 9)


def build(make):
    a, b = make.city(name="甲"), make.city(name="乙")
    ca, cb = make.community(city_id=a), make.community(city_id=b)
    for minutes in (7, 3, 10, 1, 5, 9, 2, 8, 6, 4):
        dispatched = T0 + timedelta(minutes=minutes)
        make.order(community_id=ca, service_type="repair", created_at=T0, dispatched_at=dispatched,
                   arrived_at=dispatched + timedelta(minutes=30),
                   completed_at=dispatched + timedelta(minutes=90))
    make.order(community_id=ca, service_type="repair", created_at=T0, dispatched_at=T0 + timedelta(hours=5),
               cancelled_at=T0 + timedelta(hours=6))
    make.order(community_id=ca, service_type="repair", created_at=T0)
    make.order(community_id=cb, service_type="install", created_at=T0, dispatched_at=T0 + timedelta(hours=2),
               arrived_at=AS_OF + timedelta(hours=1))   # arrives after as-of: no arrival yet
    return {"A": a, "B": b}


def test_time_to_dispatch_by_city_median_and_p90(hand_built_db):
    engine, ids = hand_built_db
    frame = response_times(engine, F, measure="dispatch", by=("city",))
    rows = {r.city_id: (r.orders, r.median_s, r.p90_s) for r in frame.itertuples()}
    assert rows == {ids["A"]: (10, 300, 540), ids["B"]: (1, 7200, 7200)}


def test_arrival_and_on_site_leave_out_what_has_not_happened(hand_built_db):
    engine, ids = hand_built_db
    arrive = response_times(engine, F, measure="arrive", by=("city",))
    assert list(zip(arrive["city_id"], arrive["orders"], arrive["median_s"])) == [(ids["A"], 10, 1800)]
    on_site = response_times(engine, F, measure="on_site", by=("city", "service_type"))
    assert list(zip(on_site["service_type"], on_site["orders"], on_site["p90_s"])) == [("repair", 10, 3600)]


def test_by_service_type_and_unknown_measure(hand_built_db):
    engine, _ = hand_built_db
    frame = response_times(engine, F, measure="dispatch", by=("service_type",))
    assert dict(zip(frame["service_type"], frame["orders"])) == {"install": 1, "repair": 10}
    from lib.errors import ValidationFailed
    with pytest.raises(ValidationFailed):
        response_times(engine, F, measure="travel")
