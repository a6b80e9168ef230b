"""Shared behaviour: database gone or locked, settings, and the message catalogue."""
from __future__ import annotations

import sqlite3
import string

import pytest
from sqlalchemy import select

from lib import config
from lib.commands.coupons import issue_coupon
from lib.commands.settings import DEFAULTS, load_settings
from lib.db import make_engine
from lib.db import schema as s
from lib.errors import ServiceUnavailable
from lib.i18n import catalog
from lib.i18n.catalog.commands import MESSAGES
from tests.commands.conftest import ACTORS, NOW, World, snapshot
from tests.commands.test_roles import WRITES


@pytest.mark.parametrize("write", [w for w in WRITES if w != "cancel_free_repair_day"])
def test_database_gone_is_service_unavailable(tmp_path, write):
    engine = make_engine(f"sqlite:///{tmp_path}/no/such/dir/service.db")
    permission, call = WRITES[write]
    actor = ACTORS["admin"]
    with pytest.raises(ServiceUnavailable) as unavailable:
        call(engine, World(*([1] * 10)), actor)
    assert unavailable.value.key == "error.database_unavailable"
    engine.dispose()


def test_database_locked_is_service_unavailable_and_nothing_written(sqlite_engine, sqlite_world):
    path = sqlite_engine.url.database
    blocker = sqlite3.connect(path, isolation_level=None)
    before = snapshot(sqlite_engine)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(ServiceUnavailable):
            issue_coupon(sqlite_engine, actor=ACTORS["marketing"], trade_in_request_id=sqlite_world.request,
                         now=NOW)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert snapshot(sqlite_engine) == before


def test_settings_defaults_and_overrides(monkeypatch):
    assert (DEFAULTS.pass_mark, DEFAULTS.coupon_validity_days, DEFAULTS.event_max_capacity) == (60, 90, 500)
    assert DEFAULTS.coupon_adjust_fraction == 0.5
    monkeypatch.setattr(config, "secrets", lambda: {"commands": {
        "pass_mark": 70, "coupon_adjust_fraction": 0.2, "event_max_capacity": "many",
        "coupon_base_fen": {"gas_stove": 12_000}, "coupon_age_bands": [[5, 1.0], [-1, 0.4]]}})
    loaded = load_settings()
    assert (loaded.pass_mark, loaded.coupon_adjust_fraction, loaded.event_max_capacity) == (70, 0.2, 500)
    assert loaded.coupon_base_fen["gas_stove"] == 12_000 and loaded.coupon_base_fen["air_conditioner"] == 30_000
    assert loaded.coupon_age_bands == ((5, 1.0), (None, 0.4))
    assert loaded.coupon_rule_fen("gas_stove", 9, "working") == 4_800


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_catalogue_entries_are_complete(key):
    chinese, english = MESSAGES[key]
    assert key.startswith("commands.") and key in catalog()
    assert _placeholders(chinese) == _placeholders(english), key


def test_every_key_the_commands_raise_is_in_the_catalogue():
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "lib" / "commands"
    used = set()
    for path in root.glob("*.py"):
        used |= set(re.findall(r'"((?:commands|error)\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert used and used <= set(catalog()), used - set(catalog())
