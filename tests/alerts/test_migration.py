"""Migration 0012: the alert rules and their state, and back, on every backend."""
from datetime import datetime, time

from alembic import command
from sqlalchemy import inspect, insert, select

from lib.db.schema import console_alert_rules
from lib.db.setup import alembic_config, migrate


def test_migration_0012_adds_the_alert_tables_and_takes_them_back(engine):
    def tables():
        names = set(inspect(engine).get_table_names())
        return "console_alert_rules" in names, "console_alert_state" in names
    assert tables() == (True, True)
    command.downgrade(alembic_config(engine), "0011")
    assert tables() == (False, False)
    migrate(engine)
    assert tables() == (True, True)


def test_threshold_and_quiet_hours_round_trip(engine):
    at = datetime(2026, 3, 1, 9)
    with engine.begin() as connection:
        connection.execute(insert(console_alert_rules).values(
            name="r", kpi="sla_compliance", comparison="under", threshold=0.9, window_hours=24,
            destinations="ops", repeat_minutes=60, quiet_start=time(22, 0), quiet_end=time(7, 30),
            enabled=True, version=1, created_by="a", created_at=at, updated_by="a", updated_at=at))
    with engine.connect() as connection:
        row = connection.execute(select(console_alert_rules)).one()
    assert (row.threshold, row.quiet_start, row.quiet_end) == (0.9, time(22, 0), time(7, 30))
