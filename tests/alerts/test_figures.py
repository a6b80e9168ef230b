"""The figures rules watch, on the hand-worked rows (tests/alerts/conftest.py), every backend."""
from datetime import datetime, timedelta

import pytest

from lib.alerts.kpis import figure, holds
from tests.alerts.conftest import T0


@pytest.mark.parametrize("scope,expected", [
    ({}, (3 / 5, 5)), ({"city": "A"}, (1 / 3, 3)), ({"city": "A", "brand": "X"}, (1 / 2, 2)),
    ({"city": "A", "brand": "Y"}, (0.0, 1)), ({"city": "B"}, (1.0, 2)), ({"brand": "Y"}, (1 / 2, 2)),
])
def test_compliance_of_installs_due_in_the_window_by_scope(db, scope, expected):
    engine, ids = db
    got = figure(engine, kpi="sla_compliance", as_of=T0, window_hours=24,
                 city_id=ids.get(scope.get("city")), brand_id=ids.get(scope.get("brand")))
    assert (got.value, got.basis) == pytest.approx(expected)


def test_an_install_due_exactly_at_the_window_start_is_in_it_one_second_later_it_is_not(db):
    engine, ids = db
    at_start = figure(engine, kpi="sla_breached", as_of=T0, window_hours=24, city_id=ids["A"])
    after = figure(engine, kpi="sla_breached", as_of=T0 + timedelta(seconds=1), window_hours=24, city_id=ids["A"])
    assert (at_start.value, at_start.basis) == (2.0, 3)      # a1 (due 03-09 12:00) and a3
    assert (after.value, after.basis) == (1.0, 2)            # a3 only


def test_an_empty_window_has_no_rate_but_a_zero_count(db):
    engine, ids = db
    early = datetime(2026, 2, 1, 12)
    assert figure(engine, kpi="sla_compliance", as_of=early, window_hours=24).value is None
    assert figure(engine, kpi="sla_breached", as_of=early, window_hours=24).value == 0.0


def test_first_time_fix_of_repairs_whose_follow_up_closed_in_the_window(db):
    engine, ids = db
    as_of = datetime(2026, 3, 31, 12)
    assert figure(engine, kpi="first_time_fix", as_of=as_of, window_hours=24).value == pytest.approx(0.5)
    assert figure(engine, kpi="first_time_fix", as_of=as_of, window_hours=24, city_id=ids["A"]).value == 0.0
    assert figure(engine, kpi="first_time_fix", as_of=as_of, window_hours=1).value is None  # closed 09:00, 10:00


def test_the_condition_is_strict_and_unknown_without_a_figure():
    assert holds("under", 0.89, 0.9) and not holds("under", 0.9, 0.9)
    assert holds("over", 3, 2) and not holds("over", 2, 2)
    assert holds("under", None, 0.9) is None
