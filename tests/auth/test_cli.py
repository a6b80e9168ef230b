"""`python -m lib.auth`: an operator creates the first admin of a production database."""
import subprocess
import sys
from pathlib import Path

from lib.auth.users import authenticate, find_user
from lib.db import make_engine
from lib.db.setup import create_service_schema

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, password: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib.auth", *args], input=password + "\n",
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def _production_database(tmp_path) -> str:
    """The platform's tables exist; the console's do not yet (the CLI migrates)."""
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    create_service_schema(make_engine(url))
    return url


def test_create_user_from_the_command_line(tmp_path):
    url = _production_database(tmp_path)
    done = _cli("--db", url, "create-user", "--username", "li.na", "--name", "李娜",
                "--roles", "admin,hr", "--password-stdin", password="first-admin-pass-1")
    assert done.returncode == 0, done.stderr
    engine = make_engine(url)
    user = find_user(engine, "li.na")
    assert user.roles == ("admin", "hr") and user.must_change_password
    assert authenticate(engine, username="li.na", password="first-admin-pass-1") is not None


def test_refusals_are_one_clear_line_and_change_nothing(tmp_path):
    url = _production_database(tmp_path)
    weak = _cli("--db", url, "create-user", "--username", "li.na", "--name", "李娜",
                "--roles", "admin", "--password-stdin", password="short")
    assert weak.returncode == 1
    assert weak.stderr.strip() == "The password needs at least 10 characters."
    assert find_user(make_engine(url), "li.na") is None
    missing = _cli("--db", url, "end-sessions", "--username", "nobody")
    assert missing.returncode == 1 and "no user nobody" in missing.stderr
