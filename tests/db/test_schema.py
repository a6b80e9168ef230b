"""The schema keeps SPEC's constraints on every backend."""
from datetime import datetime

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError

from lib.db import schema as s
from lib.db.setup import migrate
from lib.demo.factory import Factory


def test_every_spec_table_exists(engine):
    names = set(inspect(engine).get_table_names())
    expected = {t.name for t in s.SERVICE_TABLES + s.CONSOLE_TABLES}
    assert expected <= names, f"missing tables: {expected - names}"


def test_kpi_indexes_exist(engine):
    present = {ix["name"] for ix in inspect(engine).get_indexes("service_orders")}
    assert "ix_service_orders_created_at" in present
    assert "ix_service_orders_community_created_cancelled" in present


def test_migrations_run_twice_without_change(engine):
    migrate(engine)  # already at head: must be a no-op, not an error
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    from alembic.script import ScriptDirectory

    from lib.db.setup import alembic_config
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    assert heads == [version]   # one chain, and the database is at its head


@pytest.mark.parametrize("duplicate", ["rating", "coupon_code", "coupon_request"])
def test_uniqueness_constraints(engine, duplicate):
    with engine.begin() as connection:
        make = Factory(connection)
        order = make.order()
        request = make.trade_in_request()
        make.rating(order_id=order)
        make.coupon(code="ABC", trade_in_request_id=request)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        make = Factory(connection, seed=2)
        if duplicate == "rating":
            make.rating(order_id=order)
        elif duplicate == "coupon_code":
            make.coupon(code="ABC")
        else:
            make.coupon(code="XYZ", trade_in_request_id=request)


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError), engine.begin() as connection:
        Factory(connection).order(member_id=999_999)


@pytest.mark.parametrize("column,value", [("stars", 6), ("stars", 0)])
def test_star_range_is_checked(engine, column, value):
    # MariaDB reports a failed CHECK as an operational error (4025).
    with pytest.raises((IntegrityError, OperationalError)), engine.begin() as connection:
        Factory(connection).rating(**{column: value})


def test_chinese_text_round_trips(engine):
    with engine.begin() as connection:
        member = Factory(connection).member(name="欧阳娜娜")
    with engine.connect() as connection:
        name = connection.execute(select(s.members.c.name).where(s.members.c.id == member)).scalar()
    assert name == "欧阳娜娜"


def test_timestamps_keep_seconds(engine):
    moment = datetime(2026, 3, 2, 10, 59, 59)
    with engine.begin() as connection:
        order = Factory(connection).order(created_at=moment)
    with engine.connect() as connection:
        stored = connection.execute(
            select(s.service_orders.c.created_at).where(s.service_orders.c.id == order)).scalar()
    assert stored == moment


def test_migration_0003_replaces_the_appliance_index(engine):
    from alembic import command

    from lib.db.setup import alembic_config

    def names():
        return {ix["name"] for ix in inspect(engine).get_indexes("service_orders")}

    command.downgrade(alembic_config(engine), "0002")
    assert "ix_service_orders_appliance_type" in names()
    assert "ix_service_orders_appliance_reset" not in names()
    migrate(engine)   # to the head: 0003's index is widened again by 0006
    assert "ix_service_orders_appliance_reset_created" in names()
    assert not {"ix_service_orders_appliance_type", "ix_service_orders_appliance_reset"} & names()


def test_migration_0004_replaces_the_community_index(engine):
    from alembic import command

    from lib.db.setup import alembic_config

    def names():
        return {ix["name"] for ix in inspect(engine).get_indexes("service_orders")}

    command.downgrade(alembic_config(engine), "0003")
    assert "ix_service_orders_community_created" in names()
    migrate(engine)
    assert "ix_service_orders_community_created_cancelled" in names()
    assert "ix_service_orders_community_created" not in names()
    assert "ix_ratings_order_rated" in {ix["name"] for ix in inspect(engine).get_indexes("ratings")}


def test_migration_0005_adds_the_page_indexes_and_takes_them_back(engine):
    from alembic import command

    from lib.db.setup import alembic_config

    def names():
        return ({ix["name"] for ix in inspect(engine).get_indexes("service_orders")}
                | {ix["name"] for ix in inspect(engine).get_indexes("appliances")})
    added = {"ix_service_orders_free_repair_day", "ix_service_orders_completed_pay",
             "ix_appliances_warranty_until"}
    command.downgrade(alembic_config(engine), "0004")
    kept = {"ix_service_orders_free_repair_day"} if engine.dialect.name in ("mysql", "mariadb") \
        else set()   # InnoDB's own index for the foreign key (see the migration)
    assert added & names() == kept
    migrate(engine)
    assert added <= names()


def test_migration_0006_widens_the_reset_index_and_takes_it_back(engine):
    from alembic import command

    from lib.db.setup import alembic_config

    def columns():
        return {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("service_orders")}
    command.downgrade(alembic_config(engine), "0005")
    assert columns()["ix_service_orders_appliance_reset"][-1] == "cancelled_at"
    assert "ix_service_orders_appliance_reset_created" not in columns()
    migrate(engine)
    assert columns()["ix_service_orders_appliance_reset_created"][-1] == "created_at"
    assert "ix_service_orders_appliance_reset" not in columns()


def test_migration_0011_widens_the_member_index_and_takes_it_back(engine):
    from alembic import command

    from lib.db.setup import alembic_config

    def columns():
        return {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("service_orders")}
    command.downgrade(alembic_config(engine), "0010")
    assert columns()["ix_service_orders_member_created"] == ["member_id", "created_at"]
    assert "ix_service_orders_member_created_cancelled" not in columns()
    migrate(engine)
    assert columns()["ix_service_orders_member_created_cancelled"] == \
        ["member_id", "created_at", "cancelled_at"]
    assert "ix_service_orders_member_created" not in columns()


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(sqlite_engine):
    from lib.db.engine import SQLITE_BUSY_TIMEOUT_MS
    with sqlite_engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert (pragma("journal_mode"), pragma("busy_timeout"), pragma("foreign_keys")) == \
            ("wal", SQLITE_BUSY_TIMEOUT_MS, 1)


def test_migration_0007_adds_the_user_language_and_takes_it_back(engine):
    from alembic import command

    from lib.db.setup import alembic_config

    def columns():
        return {column["name"] for column in inspect(engine).get_columns("console_users")}
    assert "language" in columns()
    command.downgrade(alembic_config(engine), "0006")
    assert "language" not in columns()
    migrate(engine)
    assert "language" in columns()
