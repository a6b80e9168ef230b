"""Arbitrary input thrown at the validators and the commands: the only outcomes
are success or a clean refusal (ValidationFailed) whose message can be shown in
both languages; never another exception, never a half-written row."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lib.commands import validate_id, validate_reason
from lib.commands.certifications import reject_certification
from lib.commands.coupon_codes import ALPHABET, generate_code, is_valid_code, normalize_code
from lib.commands.coupons import issue_coupon, validate_coupon_value
from lib.commands.free_repair_days import (SERVICES, plan_free_repair_day, validate_capacity,
                                           validate_event_date, validate_services)
from lib.commands.settings import DEFAULTS
from lib.demo.factory import Factory
from lib.errors import ValidationFailed
from lib.i18n import LANGUAGES, translate
from tests.commands.conftest import HR, MARKETING, NOW, TODAY

DB = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PURE = settings(max_examples=300, deadline=None)

anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(),
                     st.binary(), st.lists(st.integers(), max_size=3), st.dates(), st.datetimes(),
                     st.decimals(allow_nan=True))
def mostly(plausible, odd):
    """Half plausible input (so successes happen), half anything at all."""
    return st.booleans().flatmap(lambda pick: plausible if pick else odd)


reasons = mostly(st.text(min_size=1, max_size=60), st.one_of(
    anything, st.text(max_size=600), st.text(min_size=490, max_size=520),
    st.sampled_from(["ab\x00cd", "\ud800坏", "  \n\t ", "原因\n第二行", "\u200b\u200b"])))
capacities = mostly(st.integers(min_value=-5, max_value=600), anything)
event_dates = mostly(st.dates(min_value=TODAY, max_value=TODAY + timedelta(days=365)),
                     st.one_of(anything, st.dates(min_value=TODAY - timedelta(days=30),
                                                  max_value=TODAY + timedelta(days=400))))
service_lists = mostly(
    st.lists(st.sampled_from(SERVICES), min_size=1, max_size=4),
    st.one_of(anything, st.lists(st.sampled_from(SERVICES + ("massage", "", "CLEANING")), max_size=7), st.frozensets(st.sampled_from(SERVICES)), st.lists(st.text(max_size=5), max_size=3),
              st.lists(anything, max_size=3), st.tuples(st.sampled_from(SERVICES))))
values = mostly(st.integers(min_value=5_000, max_value=25_000),
                st.one_of(anything, st.integers(min_value=-1_000, max_value=400_000)))


def _clean(call):
    """Run `call`; a refusal must be a ValidationFailed whose message renders in both languages."""
    try:
        result = call()
        event("accepted")
        return result
    except ValidationFailed as refusal:
        event(f"refused: {refusal.key}")
        for language in LANGUAGES:
            text = translate(refusal.key, language, **refusal.params)
            assert text != refusal.key, f"{refusal.key} is not in the catalogue"
        return refusal


@PURE
@given(reasons)
def test_reason_validator(value):
    result = _clean(lambda: validate_reason(value))
    if isinstance(result, str):
        assert 2 <= len(result) <= 500 and result == result.strip()


@PURE
@given(capacities)
def test_capacity_validator(value):
    result = _clean(lambda: validate_capacity(value, settings=DEFAULTS))
    if not isinstance(result, ValidationFailed):
        assert type(result) is int and 1 <= result <= 500


@PURE
@given(event_dates)
def test_date_validator(value):
    result = _clean(lambda: validate_event_date(value, today=TODAY, settings=DEFAULTS))
    if not isinstance(result, ValidationFailed):
        assert TODAY <= result <= TODAY + timedelta(days=365)


@PURE
@given(service_lists)
def test_services_validator(value):
    result = _clean(lambda: validate_services(value))
    if not isinstance(result, ValidationFailed):
        assert result and set(result) <= set(SERVICES) and len(set(result)) == len(result)


@PURE
@given(values, st.integers(min_value=1_000, max_value=300_000))
def test_coupon_value_validator(value, rule):
    result = _clean(lambda: validate_coupon_value(value, rule_fen=rule, settings=DEFAULTS))
    if not isinstance(result, ValidationFailed):
        low, high = DEFAULTS.coupon_bounds_fen(rule)
        assert low <= result <= high


@PURE
@given(anything)
def test_id_validator(value):
    _clean(lambda: validate_id(value, field="x"))


@PURE
@given(st.one_of(anything, st.text(alphabet=ALPHABET + "-  0O1IL", max_size=20)))
def test_code_checks_never_raise(value):
    assert is_valid_code(value) in (True, False)
    assert isinstance(normalize_code(value), str)


@PURE
@given(st.integers(min_value=0, max_value=12), st.sampled_from(ALPHABET))
def test_a_changed_character_is_always_caught(position, character):
    code = generate_code()
    changed = code[:position] + character + code[position + 1:]
    assert is_valid_code(changed) == (changed == code)


@DB
@given(reason=reasons)
def test_reject_with_any_reason(sqlite_engine, sqlite_world, reason):
    with sqlite_engine.begin() as connection:
        cert = Factory(connection).certification(engineer_id=sqlite_world.applicant)
    result = _clean(lambda: reject_certification(sqlite_engine, actor=HR, certification_id=cert,
                                                 reason=reason, now=NOW))
    if not isinstance(result, ValidationFailed):
        assert result.status == "rejected"


@DB
@given(value=values)
def test_issue_with_any_value(sqlite_engine, sqlite_world, value):
    with sqlite_engine.begin() as connection:
        request = Factory(connection).trade_in_request(member_id=sqlite_world.member)
    result = _clean(lambda: issue_coupon(sqlite_engine, actor=MARKETING, trade_in_request_id=request,
                                         value_fen=value, now=NOW))
    if not isinstance(result, ValidationFailed):
        assert result.value_fen == (result.rule_value_fen if value is None else value)
        assert is_valid_code(result.code)


@DB
@given(event_date=event_dates, services=service_lists, capacity=capacities)
def test_plan_with_any_input(sqlite_engine, sqlite_world, event_date, services, capacity):
    with sqlite_engine.begin() as connection:
        community = Factory(connection).community(city_id=sqlite_world.city)
    result = _clean(lambda: plan_free_repair_day(
        sqlite_engine, actor=MARKETING, community_id=community, event_date=event_date, services=services,
        capacity=capacity, engineer_ids=[sqlite_world.worker], today=TODAY, now=NOW))
    if not isinstance(result, ValidationFailed):
        assert isinstance(result.event_date, date) and result.capacity == capacity
