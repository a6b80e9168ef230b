"""Admins' alert-rule commands on every backend: every problem at once in the user's
words, the permission checked by the command, two admins at once, double submits, audit."""
from datetime import datetime, time

import pytest
from sqlalchemy import func, select

from lib.alerts.rules import alert_rule, list_alert_rules
from lib.commands.alert_rules import (RuleDraft, create_alert_rule, delete_alert_rule, set_alert_rule_enabled,
                                      update_alert_rule)
from lib.db.schema import console_alert_rules, console_alert_state, console_audit_log
from lib.errors import Conflict, NotFound, Problems, ValidationFailed
from lib.i18n import translate
from lib.roles import PermissionDenied
from tests.alerts.conftest import ADMIN, MANAGER, OTHER_ADMIN, draft, make_rule

KNOWN = ("ops", "mail")


def audit_actions(engine):
    with engine.connect() as connection:
        return list(connection.execute(select(console_audit_log.c.action).order_by(console_audit_log.c.id)).scalars())


def test_every_problem_is_listed_at_once_in_the_users_words(db):
    engine, ids = db
    bad = RuleDraft(name=" ", kpi=None, city_id=999_999, brand_id=None, comparison=None, threshold=None,
                    window_hours=0, destinations=("nowhere",), repeat_minutes=1, quiet_start=time(22), quiet_end=None)
    with pytest.raises(Problems) as refused:
        create_alert_rule(engine, actor=ADMIN, draft=bad, known_destinations=KNOWN)
    words = [translate(p.key, "en", **p.params) for p in refused.value.problems]
    assert words == [
        "Give the rule a name (at least 2 characters).", "Choose the KPI to watch.", "There is no city #999999.",
        "Choose the condition: under or over.", "Enter a threshold.",
        "The window is a whole number of hours from 1 to 2160.",
        "Not a configured destination: nowhere (configured: ops, mail).",
        "The repeat interval is a whole number of minutes from 5 to 10080.",
        "Quiet hours need both a start and an end."]
    assert list_alert_rules(engine, actor=ADMIN) == []


@pytest.mark.parametrize("values,key", [
    ({"threshold": 90}, "alerts.v.threshold_rate"),                        # a rate given in percent
    ({"kpi": "sla_breached", "threshold": 1.5}, "alerts.v.threshold_count"),
    ({"destinations": ()}, "alerts.v.destinations_required"),
    ({"quiet_start": time(7), "quiet_end": time(7)}, "alerts.v.quiet_same"),
    ({"name": "x" * 81}, "alerts.v.name_too_long"),
    ({"brand_id": 999_999}, "alerts.v.unknown_brand"),
])
def test_one_problem_alone(db, values, key):
    engine, _ = db
    with pytest.raises(ValidationFailed) as refused:
        create_alert_rule(engine, actor=ADMIN, draft=draft(**values), known_destinations=KNOWN)
    assert refused.value.key == key


def test_a_non_admin_is_refused_by_the_commands_themselves(db):
    engine, _ = db
    rule = make_rule(engine)
    for attempt in (
            lambda: create_alert_rule(engine, actor=MANAGER, draft=draft(name="other"), known_destinations=KNOWN),
            lambda: update_alert_rule(engine, actor=MANAGER, rule_id=rule.id, expected_version=1,
                                      draft=draft(threshold=0.5), known_destinations=KNOWN),
            lambda: set_alert_rule_enabled(engine, actor=MANAGER, rule_id=rule.id, expected_version=1, enabled=False),
            lambda: delete_alert_rule(engine, actor=MANAGER, rule_id=rule.id, expected_version=1),
            lambda: list_alert_rules(engine, actor=MANAGER)):
        with pytest.raises(PermissionDenied):
            attempt()
    assert alert_rule(engine, actor=ADMIN, rule_id=rule.id).version == 1
    assert audit_actions(engine) == ["alert_rule.create"]


def test_create_stores_the_rule_its_state_and_an_audit_entry(db):
    engine, ids = db
    saved = make_rule(engine, city_id=ids["A"], brand_id=ids["X"], quiet_start=time(22), quiet_end=time(7),
                      destinations=("ops", "mail"))
    rule = alert_rule(engine, actor=ADMIN, rule_id=saved.id)
    assert (rule.name, rule.city, rule.brand, rule.threshold, rule.destinations, rule.quiet_start, rule.quiet_end,
            rule.version, rule.seq, rule.state.firing) == \
        ("宁波及时率", "宁波", "品牌X", 0.9, ("ops", "mail"), time(22), time(7), 1, 0, False)
    assert audit_actions(engine) == ["alert_rule.create"]


def test_two_admins_at_once_the_second_is_refused_naming_the_first(db):
    engine, _ = db
    rule = make_rule(engine)
    update_alert_rule(engine, actor=OTHER_ADMIN, rule_id=rule.id, expected_version=1, draft=draft(threshold=0.8),
                      known_destinations=KNOWN, now=datetime(2026, 3, 2, 10))
    with pytest.raises(Conflict) as refused:
        update_alert_rule(engine, actor=ADMIN, rule_id=rule.id, expected_version=1, draft=draft(threshold=0.7),
                          known_destinations=KNOWN)
    assert refused.value.key == "alerts.v.changed_meanwhile"
    assert (refused.value.params["by"], refused.value.params["version"]) == ("wang.admin", 2)
    with pytest.raises(Conflict):
        set_alert_rule_enabled(engine, actor=ADMIN, rule_id=rule.id, expected_version=1, enabled=False)
    with pytest.raises(Conflict):
        delete_alert_rule(engine, actor=ADMIN, rule_id=rule.id, expected_version=1)
    now = alert_rule(engine, actor=ADMIN, rule_id=rule.id)
    assert (now.threshold, now.version, now.enabled) == (0.8, 2, True)


def test_double_submits_change_once(db):
    engine, _ = db
    first = make_rule(engine)
    assert make_rule(engine) == first                     # the same create again: that rule
    with pytest.raises(Conflict):
        make_rule(engine, threshold=0.5)                  # the name with another definition: taken
    for _ in range(2):
        saved = update_alert_rule(engine, actor=ADMIN, rule_id=first.id, expected_version=1,
                                  draft=draft(threshold=0.8, repeat_minutes=30), known_destinations=KNOWN)
        assert saved.version == 2
    for _ in range(2):
        assert set_alert_rule_enabled(engine, actor=ADMIN, rule_id=first.id, expected_version=2,
                                      enabled=False).version == 3
    assert delete_alert_rule(engine, actor=ADMIN, rule_id=first.id, expected_version=3) is True
    assert delete_alert_rule(engine, actor=ADMIN, rule_id=first.id, expected_version=3) is False
    assert audit_actions(engine) == ["alert_rule.create", "alert_rule.update", "alert_rule.disable",
                                     "alert_rule.delete"]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(console_alert_rules)).scalar() == 0
        assert connection.execute(select(func.count()).select_from(console_alert_state)).scalar() == 0
    with pytest.raises(NotFound):
        delete_alert_rule(engine, actor=ADMIN, rule_id=4242, expected_version=1)


def test_the_audit_entry_of_an_edit_names_what_changed(db):
    import json
    engine, _ = db
    rule = make_rule(engine)
    update_alert_rule(engine, actor=ADMIN, rule_id=rule.id, expected_version=1,
                      draft=draft(threshold=0.8, quiet_start=time(23), quiet_end=time(6)), known_destinations=KNOWN)
    with engine.connect() as connection:
        entry = connection.execute(select(console_audit_log).order_by(console_audit_log.c.id.desc())).first()
    assert (entry.action, entry.entity, entry.entity_id) == ("alert_rule.update", "console_alert_rules", rule.id)
    assert json.loads(entry.before_json) == {"threshold": 0.9, "quiet_start": None, "quiet_end": None}
    assert json.loads(entry.after_json) == {"threshold": 0.8, "quiet_start": "23:00", "quiet_end": "06:00"}
