"""Console users: login, lockout that expires, sessions that end, admin changes."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from lib.auth import sessions, users
from lib.auth.users import LOCKOUT, MAX_FAILED_LOGINS
from lib.db.schema import console_audit_log
from lib.errors import Conflict, ValidationFailed
from lib.roles import Actor, PermissionDenied

ADMIN = Actor("root_admin", ("admin",))
PASSWORD = "correct-horse-1"


@pytest.fixture
def alice(engine):
    """A manager `alice` with PASSWORD, on the parametrized backend."""
    return users.create_user(engine, actor=ADMIN, username="alice", display_name="王丽",
                             roles=["manager"], password=PASSWORD, must_change_password=False)


def _audit_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(console_audit_log)).scalar()


def test_right_password_signs_in(engine, alice):
    user = users.authenticate(engine, username="alice", password=PASSWORD)
    assert user is not None and user.roles == ("manager",) and user.display_name == "王丽"


@pytest.mark.parametrize("username,password", [("alice", "wrong-pass-1"), ("nobody", PASSWORD), ("", "")])
def test_wrong_credentials_are_refused(engine, alice, username, password):
    assert users.authenticate(engine, username=username, password=password) is None


def test_lockout_after_repeated_failures_then_expires(sqlite_engine):
    engine = sqlite_engine
    users.create_user(engine, actor=ADMIN, username="bob", display_name="Bob", roles=["hr"],
                      password=PASSWORD, must_change_password=False)
    start = datetime(2026, 11, 24, 9, 0, 0)
    for attempt in range(MAX_FAILED_LOGINS):
        assert users.authenticate(engine, username="bob", password="nope-nope-1", now=start) is None
    # Locked: even the right password is refused until the lock expires.
    assert users.authenticate(engine, username="bob", password=PASSWORD,
                              now=start + LOCKOUT - timedelta(seconds=1)) is None
    assert users.authenticate(engine, username="bob", password=PASSWORD,
                              now=start + LOCKOUT + timedelta(seconds=1)) is not None


def test_fewer_failures_than_the_limit_do_not_lock(sqlite_engine):
    engine = sqlite_engine
    users.create_user(engine, actor=ADMIN, username="carol", display_name="C", roles=["hr"],
                      password=PASSWORD, must_change_password=False)
    for _ in range(MAX_FAILED_LOGINS - 1):
        users.authenticate(engine, username="carol", password="nope-nope-1")
    assert users.authenticate(engine, username="carol", password=PASSWORD) is not None


def test_disabled_user_cannot_sign_in(engine, alice):
    users.set_disabled(engine, actor=ADMIN, username="alice", disabled=True)
    assert users.authenticate(engine, username="alice", password=PASSWORD) is None


@pytest.mark.parametrize("ending", ["logout", "password_change", "roles", "disable", "reset"])
def test_ending_events_void_earlier_sessions(engine, alice, ending):
    sid, _ = sessions.start_session(engine, user=alice)
    assert sessions.session_user(engine, sid=sid) is not None
    if ending == "logout":
        users.end_sessions(engine, username="alice")
    elif ending == "password_change":
        users.change_own_password(engine, username="alice", current_password=PASSWORD,
                                  new_password="another-pass-2")
    elif ending == "roles":
        users.set_roles(engine, actor=ADMIN, username="alice", roles=["hr"])
    elif ending == "disable":
        users.set_disabled(engine, actor=ADMIN, username="alice", disabled=True)
    else:
        users.reset_password(engine, actor=ADMIN, username="alice", temporary_password="temp-pass-99")
    assert sessions.session_user(engine, sid=sid) is None


def test_a_session_issued_after_logout_is_valid(sqlite_engine):
    engine = sqlite_engine
    dan = users.create_user(engine, actor=ADMIN, username="dan", display_name="D", roles=["hr"],
                            password=PASSWORD, must_change_password=False)
    users.end_sessions(engine, username="dan")
    sid, _ = sessions.start_session(engine, user=dan)
    assert sessions.session_user(engine, sid=sid) is not None


def test_reset_password_requires_change_at_next_login(engine, alice):
    users.reset_password(engine, actor=ADMIN, username="alice", temporary_password="temp-pass-99")
    user = users.authenticate(engine, username="alice", password="temp-pass-99")
    assert user is not None and user.must_change_password


@pytest.mark.parametrize("role", ["manager", "hr", "marketing"])
def test_only_admins_manage_users(engine, alice, role):
    before = _audit_count(engine)
    with pytest.raises(PermissionDenied):
        users.set_roles(engine, actor=Actor("x", (role,)), username="alice", roles=["admin"])
    with pytest.raises(PermissionDenied):
        users.create_user(engine, actor=Actor("x", (role,)), username="eve", display_name="E",
                          roles=["admin"], password=PASSWORD)
    assert users.find_user(engine, "alice").roles == ("manager",)
    assert users.find_user(engine, "eve") is None
    assert _audit_count(engine) == before


def test_admin_changes_are_audited_without_password_hashes(engine, alice):
    users.set_roles(engine, actor=ADMIN, username="alice", roles=["manager", "hr"])
    with engine.connect() as connection:
        row = connection.execute(select(console_audit_log)
                                 .where(console_audit_log.c.action == "user.roles")).one()
    assert row.actor == "root_admin" and row.actor_role == "admin"
    audit_text = row.before_json + row.after_json
    assert "\"manager,hr\"" in row.after_json
    assert "password_hash" not in audit_text and "$2b$" not in audit_text


@pytest.mark.parametrize("kwargs,key", [
    (dict(username="A"), "auth.username_invalid"),
    (dict(username="ok_name", roles=[]), "auth.roles_required"),
    (dict(username="ok_name", roles=["boss"]), "auth.roles_unknown"),
    (dict(username="ok_name", password="short1"), "auth.password_too_short"),
    (dict(username="ok_name", password="onlyletterslong"), "auth.password_too_simple"),
    (dict(username="ok_name", display_name=" "), "auth.display_name_invalid"),
])
def test_create_user_validation(sqlite_engine, kwargs, key):
    values = dict(username="ok_name", display_name="Name", roles=["hr"], password=PASSWORD)
    values.update(kwargs)
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(sqlite_engine, actor=ADMIN, **values)
    assert refused.value.key == key
    assert users.find_user(sqlite_engine, "ok_name") is None


def test_duplicate_username_is_a_conflict(engine, alice):
    with pytest.raises(Conflict):
        users.create_user(engine, actor=ADMIN, username="Alice", display_name="x", roles=["hr"],
                          password=PASSWORD)


def test_admin_cannot_lock_themselves_out(sqlite_engine):
    users.create_user(sqlite_engine, actor=ADMIN, username="root_admin", display_name="R",
                      roles=["admin"], password=PASSWORD)
    with pytest.raises(ValidationFailed):
        users.set_disabled(sqlite_engine, actor=ADMIN, username="root_admin", disabled=True)
    with pytest.raises(ValidationFailed):
        users.set_roles(sqlite_engine, actor=ADMIN, username="root_admin", roles=["hr"])
