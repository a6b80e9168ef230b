"""Creating and dropping whole databases: for tests and benchmarks, never the app.

Each test run gets a database of its own with a unique name, dropped afterwards,
so results never depend on what another run left behind.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

SERVER_URLS = {
    "postgresql": os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4"),
}
BACKENDS = ("sqlite", "postgresql", "mariadb")


def unique_name(prefix: str = "sc_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def server_reachable(backend: str) -> str | None:
    """None when the server answers, else the reason it does not."""
    if backend == "sqlite":
        return None
    try:
        engine = create_engine(SERVER_URLS[backend])
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as error:  # any driver error means "not reachable here"
        return f"{backend} not reachable at {SERVER_URLS[backend]}: {error.__class__.__name__}"


@contextmanager
def temporary_database(backend: str, directory: Path, prefix: str = "sc_test") -> Iterator[str]:
    """Yield the URL of a new empty database; drop it afterwards."""
    name = unique_name(prefix)
    if backend == "sqlite":
        path = directory / f"{name}.db"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    server = make_url(SERVER_URLS[backend])
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    create = f"CREATE DATABASE {name}"
    if backend == "mariadb":
        create += " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    with admin.connect() as connection:
        connection.exec_driver_sql(create)
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            if backend == "postgresql":
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            else:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()
