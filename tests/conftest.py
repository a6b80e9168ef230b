"""Shared fixtures: a fresh database per test on each backend.

Tests that touch a database take the `engine` fixture, which runs them once on
SQLite, PostgreSQL and MariaDB. A server that cannot be reached skips its
tests locally, with the reason; under CI=true it fails instead, so CI always
covers all three backends.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest

from lib.db import make_engine
from lib.db.provision import BACKENDS, server_reachable, temporary_database
from lib.db.setup import create_all
from lib.demo.factory import Factory

IN_CI = os.environ.get("CI", "").lower() == "true"

# Browser fixtures live in one module so that one Playwright instance serves
# every test directory that needs a browser.
pytest_plugins = ("tests.browser_support",)


def require_backend(backend: str) -> None:
    """Skip (locally) or fail (in CI) when `backend` cannot be reached."""
    reason = server_reachable(backend)
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI must test every backend: {reason}")
    pytest.skip(reason)


@contextmanager
def fresh_engine(backend: str, directory):
    """An engine on a new database of `backend` with the full schema; dropped after."""
    require_backend(backend)
    with temporary_database(backend, directory) as url:
        engine = make_engine(url)
        create_all(engine)
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The name of each database backend in turn: sqlite, postgresql, mariadb."""
    return request.param


@pytest.fixture
def engine(backend, tmp_path):
    """An engine on a fresh, empty service database (all tables, no rows)."""
    with fresh_engine(backend, tmp_path) as engine:
        yield engine


@pytest.fixture
def sqlite_engine(tmp_path):
    """A fresh SQLite service database only, for tests of logic, not of portability."""
    with fresh_engine("sqlite", tmp_path) as engine:
        yield engine


SMALL_DEMO_ORDERS = 4000
TEST_COOKIE_KEY = "test-only-cookie-key-" + "x" * 40


@pytest.fixture(scope="session")
def small_demo_url(tmp_path_factory) -> str:
    """URL of a small SQLite demo database (seeded builder, demo users), built once per run."""
    from lib.bootstrap import build_demo_database

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'service.db'}"
    build_demo_database(url, orders=SMALL_DEMO_ORDERS, seed=7)
    return url


def copy_of_database(url: str, directory) -> str:
    """A copy of the SQLite database at `url` in `directory`, made through SQLite's backup
    API, and its URL.

    Never copy a live SQLite file with shutil: the copy misses what is still in the WAL,
    and, worse, closing the file the copy opened drops every POSIX lock this process holds
    on it, SQLite's own included. A console process that then closes its last connection
    believes it is the last user, checkpoints and deletes the -wal and -shm files under
    this process's open connections: the suite then saw "disk I/O error" and "database
    disk image is malformed" on the shared demo, and two processes reading two different
    databases under one name.
    """
    target = Path(directory) / "service.db"
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"


@pytest.fixture
def console_env(small_demo_url, monkeypatch):
    """Point the console (config, engine) at the small demo database with a test cookie key."""
    monkeypatch.setenv("SERVICE_DB_URL", small_demo_url)
    monkeypatch.setenv("CONSOLE_COOKIE_KEY", TEST_COOKIE_KEY)
    monkeypatch.setenv("CONSOLE_LANGUAGE", "en")
    return small_demo_url


@pytest.fixture(scope="module", params=BACKENDS)
def hand_built_db(request, tmp_path_factory):
    """(engine, ids): the calling module's hand-worked rows, built once per backend.

    The test module defines `build(make) -> dict` (the ids of what it made;
    `make` is a `lib.demo.factory.Factory`). Tests only read, so sharing the
    database within the module is safe.
    """
    with fresh_engine(request.param, tmp_path_factory.mktemp("hand_built")) as engine:
        with engine.begin() as connection:
            ids = request.module.build(Factory(connection))
        yield engine, ids


def signed_in_state(engine, user) -> dict:
    """Session-state entries that make an AppTest run signed in as `user`, with a
    real console session (the login form itself is tested in the browser)."""
    from lib.auth.sessions import start_session
    sid, _ = start_session(engine, user=user)
    return {"authentication_status": True, "username": user.username, "name": user.display_name,
            "roles": list(user.roles), "console_sid": sid}
