"""First start: the demo database is built once, completely, then migrated."""
from sqlalchemy import func, select

from lib import bootstrap, config
from lib.auth.demo_users import DEMO_USERS
from lib.auth.users import authenticate
from lib.db import make_engine
from lib.db.schema import service_orders


def test_missing_demo_database_is_built_with_users_and_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    monkeypatch.setattr(config, "DEMO_DB_PATH", tmp_path / "service.db")
    monkeypatch.setattr(bootstrap, "DEMO_ORDERS", 500)
    steps = []
    assert bootstrap.demo_database_missing(config.DEMO_DB_URL)
    bootstrap.ensure_demo_database(lambda step, done, total: steps.append(step))
    assert not bootstrap.demo_database_missing(config.DEMO_DB_URL)
    assert (tmp_path / "service.db").exists()
    assert not (tmp_path / "service.db.building").exists()
    assert "orders" in steps and steps[-1] == "done"
    engine = make_engine(f"sqlite:///{tmp_path / 'service.db'}")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(service_orders)).scalar() == 500
    login = DEMO_USERS["manager"]
    assert authenticate(engine, username=login["username"], password=login["password"]) is not None


def test_an_existing_demo_database_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    monkeypatch.setattr(config, "DEMO_DB_PATH", tmp_path / "service.db")
    (tmp_path / "service.db").write_bytes(b"")
    called = []
    bootstrap.ensure_demo_database(lambda *args: called.append(args))
    assert called == [] and (tmp_path / "service.db").read_bytes() == b""


def test_production_refuses_a_missing_or_example_cookie_key(monkeypatch):
    import pytest
    monkeypatch.delenv(config.ENV_COOKIE_KEY, raising=False)
    monkeypatch.setenv(config.ENV_SECRETS_FILE, "/nonexistent/secrets.toml")
    with pytest.raises(config.ConfigError):
        config.cookie_key("postgresql+psycopg://console@db/service")
    monkeypatch.setenv(config.ENV_COOKIE_KEY, config.EXAMPLE_COOKIE_KEY)
    with pytest.raises(config.ConfigError):
        config.cookie_key("postgresql+psycopg://console@db/service")
    monkeypatch.setenv(config.ENV_COOKIE_KEY, "k" * 31)
    with pytest.raises(config.ConfigError):
        config.cookie_key("postgresql+psycopg://console@db/service")
    monkeypatch.setenv(config.ENV_COOKIE_KEY, "k" * 32)   # long enough, but one character
    with pytest.raises(config.ConfigError):
        config.cookie_key("postgresql+psycopg://console@db/service")
    varied = "Zq8vR2mXb7LpT4wNc9YhK3sDf6GjA5eU"                 # 32 characters, 32 distinct
    monkeypatch.setenv(config.ENV_COOKIE_KEY, varied)
    assert config.cookie_key("postgresql+psycopg://console@db/service") == varied
