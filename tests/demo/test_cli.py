"""`python -m lib.demo --ensure / --reset`: the console's own demo database, built before the server starts."""
from sqlalchemy import func, select

from lib import bootstrap, config
from lib.db import make_engine
from lib.db.schema import service_orders
from lib.demo.__main__ import main


def _own_demo_in(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    monkeypatch.setattr(config, "DEMO_DB_PATH", tmp_path / "service.db")
    monkeypatch.setattr("lib.demo.__main__.DEMO_DB_PATH", tmp_path / "service.db")
    monkeypatch.setattr(bootstrap, "DEMO_ORDERS", 300)
    monkeypatch.setattr(config, "is_demo", lambda url=None: True)
    return tmp_path / "service.db"


def _orders(path) -> int:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(service_orders)).scalar()
    finally:
        engine.dispose()


def test_ensure_builds_a_missing_demo_and_then_leaves_it_alone(tmp_path, monkeypatch, capsys):
    demo = _own_demo_in(tmp_path, monkeypatch)
    assert main(["--ensure"]) == 0
    assert _orders(demo) == 300
    assert "building the demo database" in capsys.readouterr().err
    stamp = demo.stat().st_mtime_ns
    assert main(["--ensure"]) == 0
    assert demo.stat().st_mtime_ns == stamp, "an existing demo database must not be rebuilt"
    assert "is ready" in capsys.readouterr().err


def test_reset_throws_the_demo_away_and_builds_it_anew(tmp_path, monkeypatch):
    demo = _own_demo_in(tmp_path, monkeypatch)
    demo.write_bytes(b"not a database")
    (tmp_path / "service.db-wal").write_bytes(b"stale journal")
    assert main(["--reset"]) == 0
    assert _orders(demo) == 300
    assert not (tmp_path / "service.db-wal").exists()


def test_ensure_builds_nothing_when_the_console_points_at_another_database(tmp_path, monkeypatch):
    demo = _own_demo_in(tmp_path, monkeypatch)
    monkeypatch.setattr(config, "is_demo", lambda url=None: False)
    assert main(["--ensure"]) == 0
    assert main(["--reset"]) == 2
    assert not demo.exists()
