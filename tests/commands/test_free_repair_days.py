"""Free-repair days: planning rules, one event per community per day, cancelling, the event list."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from lib import audit
from lib.commands.free_repair_days import cancel_free_repair_day, plan_free_repair_day
from lib.commands.queries import eligible_engineers, free_repair_day_detail, free_repair_day_list
from lib.demo.factory import Factory
from lib.errors import Conflict, NotFound, ValidationFailed
from tests.commands.conftest import ACTORS, MARKETING, NOW, TODAY, snapshot

ADMIN = ACTORS["admin"]
DAY = date(2026, 3, 10)


def _plan(engine, world, **overrides):
    values = dict(actor=MARKETING, community_id=world.community, event_date=DAY,
                  services=["filter_change", "cleaning"], capacity=40, engineer_ids=[world.worker],
                  today=TODAY, now=NOW)
    return plan_free_repair_day(engine, **{**values, **overrides})


def test_plan_stores_event_team_and_audit(engine, world):
    result = _plan(engine, world, services=["water_test", "cleaning", "cleaning"])
    assert result.services == ("cleaning", "water_test") and result.engineer_ids == (world.worker,)
    listed = free_repair_day_list(engine, actor=MARKETING, date_from=DAY, date_to=DAY)
    assert [(e["id"], e["engineers"], e["status"], e["planned_by"]) for e in listed] == \
        [(result.free_repair_day_id, 1, "planned", "mei")]


def test_one_event_per_community_per_day(engine, world):
    _plan(engine, world)
    with engine.begin() as connection:
        other = Factory(connection, seed=11).engineer(city_id=world.city)
        Factory(connection, seed=12).certification(engineer_id=other, status="approved")
    before = snapshot(engine)
    with pytest.raises(Conflict) as lost:
        _plan(engine, world, actor=ADMIN, engineer_ids=[other])
    assert lost.value.key == "commands.event.community_taken"
    assert (lost.value.params["by"], lost.value.params["at"]) == ("mei", NOW)
    assert snapshot(engine) == before


def test_engineer_booked_elsewhere_that_day(engine, world):
    _plan(engine, world)
    with engine.begin() as connection:
        second = Factory(connection, seed=13).community(city_id=world.city)
    with pytest.raises(ValidationFailed) as refused:
        _plan(engine, world, community_id=second)
    assert refused.value.key == "commands.event.engineer_booked"


def test_cancelled_event_frees_community_and_engineer(engine, world):
    first = _plan(engine, world)
    cancelled = cancel_free_repair_day(engine, actor=MARKETING, free_repair_day_id=first.free_repair_day_id,
                                       reason="暴雨预警", now=NOW)
    assert cancelled.cancelled_by == "mei"
    with pytest.raises(Conflict) as lost:
        cancel_free_repair_day(engine, actor=ADMIN, free_repair_day_id=first.free_repair_day_id, reason="再取消")
    assert lost.value.params == {"by": "mei", "at": NOW, "decision": "cancelled"}
    assert _plan(engine, world).free_repair_day_id != first.free_repair_day_id
    with pytest.raises(NotFound):
        cancel_free_repair_day(engine, actor=ADMIN, free_repair_day_id=999_999, reason="再取消")


@pytest.mark.parametrize("case,key", [
    ("applicant", "commands.event.engineer_not_active"),
    ("other_city", "commands.event.engineer_other_city"),
    ("uncertified", "commands.event.engineer_not_certified"),
    ("unknown", "commands.event.unknown_engineer"),
    ("uncovered", "commands.event.service_uncovered"),
])
def test_engineer_rules(sqlite_engine, sqlite_world, case, key):
    engine, world = sqlite_engine, sqlite_world  # logic only: one backend is enough
    with engine.begin() as connection:
        make = Factory(connection, seed=14)
        if case == "applicant":
            team = [world.applicant]
        elif case == "other_city":
            far = make.engineer(city_id=world.other_city)
            make.certification(engineer_id=far, status="approved")
            team = [far]
        elif case == "uncertified":
            gas = make.engineer(city_id=world.city)
            make.certification(engineer_id=gas, category="gas_stove", status="approved")
            make.certification(engineer_id=gas, category="water_purifier", status="pending")
            team = [gas]
        elif case == "unknown":
            team = [world.worker, 777_777]
        else:
            team = [world.worker]
    services = ["safety_check", "cleaning"] if case == "uncovered" else ["filter_change"]
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as refused:
        _plan(engine, world, engineer_ids=team, services=services)
    assert refused.value.key == key
    assert snapshot(engine) == before


@pytest.mark.parametrize("field,value,key", [
    ("event_date", date(2026, 3, 1), "commands.event.date_in_past"),
    ("event_date", datetime(2026, 3, 10, 9), "commands.event.bad_date"),
    ("event_date", date(2027, 6, 1), "commands.event.date_too_far"),
    ("services", [], "commands.event.services_required"),
    ("services", ["massage"], "commands.event.unknown_service"),
    ("services", "cleaning", "commands.event.services_required"),
    ("capacity", 0, "commands.event.bad_capacity"),
    ("capacity", 501, "commands.event.bad_capacity"),
    ("engineer_ids", [], "commands.event.engineers_required"),
    ("community_id", 888_888, "commands.event.unknown_community"),
])
def test_input_is_validated(sqlite_engine, sqlite_world, field, value, key):
    before = snapshot(sqlite_engine)
    with pytest.raises(ValidationFailed) as refused:
        _plan(sqlite_engine, sqlite_world, **{field: value})
    assert refused.value.key == key
    assert snapshot(sqlite_engine) == before


def test_today_is_allowed_and_injectable(sqlite_engine, sqlite_world):
    assert _plan(sqlite_engine, sqlite_world, event_date=TODAY).event_date == TODAY
    with pytest.raises(ValidationFailed):
        _plan(sqlite_engine, sqlite_world, event_date=DAY, today=date(2026, 3, 11))


def test_failure_after_first_statement_leaves_nothing(engine, world, monkeypatch):
    monkeypatch.setattr(audit, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("down")))
    before = snapshot(engine)
    with pytest.raises(RuntimeError):
        _plan(engine, world)
    assert snapshot(engine) == before


def test_past_event_shows_its_orders_and_ratings(engine, world):
    with engine.begin() as connection:
        make = Factory(connection, seed=15)
        event = make.free_repair_day(community_id=world.community, event_date=date(2026, 1, 10), status="done")
        who = dict(member_id=world.member, brand_id=make.brand(name="活动品牌"))
        rated = make.order(**who, community_id=world.community, source="free_repair_day", free_repair_day_id=event,
                           service_type="cleaning", created_at=datetime(2026, 1, 10, 9),
                           completed_at=datetime(2026, 1, 10, 10))
        make.rating(order_id=rated, stars=4, rated_at=datetime(2026, 1, 11))
        make.order(**who, community_id=world.community, source="free_repair_day", free_repair_day_id=event,
                   service_type="filter_change", created_at=datetime(2026, 1, 10, 11))
        make.order(**who, community_id=world.community, created_at=datetime(2026, 1, 10, 11))  # not from the event
    detail = free_repair_day_detail(engine, actor=MARKETING, free_repair_day_id=event)
    assert (detail["order_count"], detail["completed"], detail["ratings"], detail["avg_stars"]) == (2, 1, 1, 4.0)
    listed = free_repair_day_list(engine, actor=MARKETING, date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    assert [(e["id"], e["orders"]) for e in listed] == [(event, 2)]
    with pytest.raises(ValidationFailed):
        free_repair_day_list(engine, actor=MARKETING, date_from=date(2026, 2, 1), date_to=date(2026, 1, 1))


def test_eligible_engineers_follow_the_planning_rules(engine, world):
    def eligible(services, day=DAY):
        return [e["id"] for e in eligible_engineers(engine, actor=MARKETING, city_id=world.city,
                                                    event_date=day, services=services)]

    # The worker holds water_purifier and air_conditioner; the applicant is not active.
    assert eligible(["filter_change"]) == [world.worker]
    assert eligible(["safety_check"]) == []  # needs gas_stove or water_heater
    assert eligible([]) == []
    listed = eligible_engineers(engine, actor=MARKETING, city_id=world.city, event_date=DAY,
                                services=["cleaning"])
    assert listed[0]["phone_masked"].count("*") == 4 and sorted(listed[0]["categories"]) == \
        ["air_conditioner", "water_purifier"]
    _plan(engine, world)
    assert eligible(["filter_change"]) == []  # booked that day
    assert eligible(["filter_change"], day=date(2026, 3, 11)) == [world.worker]
