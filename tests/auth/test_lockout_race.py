"""Lockout under parallel guesses (issue 18, item 1): however many attempts
arrive at once, at most MAX_FAILED_LOGINS passwords are checked before the
lock, and a right password is never admitted after the limit was reached.

The password check is replaced by a slow, counting stand-in (the race window
is bcrypt's time; the stand-in keeps it without 100 bcrypt runs of CPU).
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from lib.auth import users
from lib.auth.users import MAX_FAILED_LOGINS
from lib.db.schema import console_users
from lib.roles import Actor

ADMIN = Actor("root_admin", ("admin",))
PASSWORD = "correct-horse-1"


@pytest.fixture
def checks(monkeypatch):
    """The passwords actually checked, in order."""
    checked, lock = [], threading.Lock()

    def slow_check(password, password_hash):
        with lock:
            checked.append(password)
        time.sleep(0.05)
        return password == PASSWORD

    monkeypatch.setattr(users, "password_matches", slow_check)
    monkeypatch.setattr(users, "burn_equal_time", lambda password: time.sleep(0.05))
    return checked


def _attempt_all(engine, passwords):
    users.create_user(engine, actor=ADMIN, username="target", display_name="T", roles=["hr"],
                      password=PASSWORD, must_change_password=False)
    start = threading.Barrier(len(passwords))

    def attempt(password):
        start.wait()
        return users.authenticate(engine, username="target", password=password)

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        return list(pool.map(attempt, passwords))


def test_100_parallel_wrong_passwords_check_at_most_the_limit(engine, checks):
    results = _attempt_all(engine, [f"wrong-guess-{i}" for i in range(100)])
    assert all(result is None for result in results)
    assert len(checks) == MAX_FAILED_LOGINS, f"{len(checks)} passwords were checked"
    with engine.connect() as connection:
        row = connection.execute(select(console_users)
                                 .where(console_users.c.username == "target")).one()
    assert row.failed_logins == MAX_FAILED_LOGINS and row.locked_until is not None
    assert users.authenticate(engine, username="target", password=PASSWORD) is None


def test_the_right_password_among_99_parallel_guesses_is_not_admitted_after_the_limit(engine, checks):
    passwords = [f"wrong-guess-{i}" for i in range(99)]
    passwords.insert(50, PASSWORD)
    results = _attempt_all(engine, passwords)
    admitted = [r for r in results if r is not None]
    if admitted:
        wrong_before = checks.index(PASSWORD)
        assert wrong_before < MAX_FAILED_LOGINS, \
            f"signed in after {wrong_before} failed attempts (limit {MAX_FAILED_LOGINS})"
    # Without knowing the password, at most the limit is checked between successes.
    assert len(checks) <= 2 * MAX_FAILED_LOGINS
