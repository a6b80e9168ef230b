"""Fault tests: a PostgreSQL of our own that we stop and start, and a locked SQLite.

The PostgreSQL server is created by these tests in a temporary directory
(initdb + pg_ctl, run as the `postgres` OS user because postgres refuses to run
as root), listens on a free 127.0.0.1 port with its unix socket in that
directory, and is removed afterwards. It is independent of TEST_POSTGRES_URL.
Without the PostgreSQL binaries the tests skip locally; under CI=true they fail.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import IN_CI

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda p: int(Path(p).parent.name)
                   if Path(p).parent.name.isdigit() else 0)
    return Path(found[-1]) if found and Path(found[-1], "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unavailable_reason() -> str | None:
    if _pg_bin() is None:
        return f"no initdb under {PG_BIN_GLOB} (apt-get install -y postgresql)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser"
    if os.geteuid() == 0:
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            return "no `postgres` OS user to run the server as"
    return None


class PostgresServer:
    """A throw-away PostgreSQL cluster: `start()`, `stop(mode)`, `url`."""

    def __init__(self):
        self.bin = _pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="sc_faults_pg_", dir="/tmp"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        os.chmod(self.root, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=40")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")
        deadline = time.monotonic() + 30
        while True:  # -w waits for the socket; make sure SQL answers too
            try:
                engine = create_engine(self.url)
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                engine.dispose()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self, mode: str = "fast") -> None:
        """mode: fast (disconnect clients, clean shutdown) or immediate (like a crash)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop",
                  check=False)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_server():
    """A PostgreSQL server started by the test module itself; tests may stop/start it."""
    reason = _unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI must run the fault tests: {reason}")
        pytest.skip(reason)
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def running_postgres(postgres_server):
    """The module's server, guaranteed up at the start and at the end of the test."""
    try:
        postgres_server.start()
    except subprocess.CalledProcessError:
        pass  # already running
    yield postgres_server
    try:
        postgres_server.start()
    except subprocess.CalledProcessError:
        pass
