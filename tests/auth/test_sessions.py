"""Sessions the console owns (issue 17), the cookie's claims capped by the server
(issue 18, item 6), and the Users page's admin actions (issue 11, item 9)."""
import time
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select

from lib.auth import sessions, users
from lib.db.schema import console_audit_log
from lib.errors import ValidationFailed
from lib.roles import Actor, PermissionDenied
from lib.timeutil import now_local

ADMIN = Actor("root_admin", ("admin",))
PASSWORD = "correct-horse-1"
KEY = "k" * 16 + "Q7v#pL2x!mZ9rT4w" * 2


@pytest.fixture
def alice(engine):
    return users.create_user(engine, actor=ADMIN, username="alice", display_name="王丽",
                             roles=["manager"], password=PASSWORD, must_change_password=False)


def _actions(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(console_audit_log.c.action)
                                       .order_by(console_audit_log.c.id)).scalars())


def test_signing_out_one_browser_leaves_the_other_signed_in(engine, alice):
    first, _ = sessions.start_session(engine, user=alice, client="Chrome 1")
    second, _ = sessions.start_session(engine, user=alice, client="Firefox 2")
    sessions.end_session(engine, sid=first, ended_by="alice")
    assert sessions.session_user(engine, sid=first) is None
    assert sessions.session_user(engine, sid=second).username == "alice"


def test_sign_out_everywhere_ends_every_session(engine, alice):
    sids = [sessions.start_session(engine, user=alice)[0] for _ in range(3)]
    users.end_sessions(engine, username="alice")
    assert all(sessions.session_user(engine, sid=sid) is None for sid in sids)
    listed = sessions.list_sessions(engine, actor=ADMIN, username="alice")
    assert len(listed) == 3 and not any(s.active for s in listed)
    assert all(s.ended_at is not None for s in listed)


def test_admin_lists_and_ends_one_session(engine, alice):
    keep, _ = sessions.start_session(engine, user=alice, client="Chrome 1")
    end, _ = sessions.start_session(engine, user=alice, client="Firefox 2")
    listed = sessions.list_sessions(engine, actor=ADMIN, username="alice")
    assert [s.client for s in listed if s.active] == ["Firefox 2", "Chrome 1"]
    target = next(s for s in listed if s.client == "Firefox 2")
    with pytest.raises(PermissionDenied):
        sessions.end_session_by_id(engine, actor=Actor("m", ("manager",)), session_id=target.id)
    assert sessions.end_session_by_id(engine, actor=ADMIN, session_id=target.id)
    assert not sessions.end_session_by_id(engine, actor=ADMIN, session_id=target.id)
    assert sessions.session_user(engine, sid=end) is None
    assert sessions.session_user(engine, sid=keep) is not None
    assert _actions(engine).count("session.end") == 1


def test_the_server_ends_a_session_at_its_own_expiry(engine, alice):
    sid, _ = sessions.start_session(engine, user=alice)
    later = now_local() + timedelta(days=sessions.SESSION_DAYS, seconds=1)
    assert sessions.session_user(engine, sid=sid, now=later) is None


def test_unknown_session_ids_open_nothing(engine, alice):
    assert sessions.session_user(engine, sid="made-up") is None
    assert sessions.session_user(engine, sid=None) is None


def test_cookie_claims_are_refused_unless_the_server_could_have_issued_them(engine, alice):
    sid, _ = sessions.start_session(engine, user=alice)
    good = sessions.encode_claims(username="alice", sid=sid, key=KEY)
    assert sessions.cookie_user(engine, good, KEY)[0].username == "alice"
    far = jwt.encode({"username": "alice", "sid": sid, "exp_date": time.time() + 3650 * 86400},
                     KEY, algorithm="HS256")
    no_sid = jwt.encode({"username": "alice", "exp_date": time.time() + 3600}, KEY, algorithm="HS256")
    other_user = sessions.encode_claims(username="root_admin", sid=sid, key=KEY)
    wrong_key = sessions.encode_claims(username="alice", sid=sid, key=KEY + "x")
    for token in (far, no_sid, other_user, wrong_key, "not-a-token", None):
        assert sessions.cookie_user(engine, token, KEY) is None, token
    users.end_sessions(engine, username="alice")
    assert sessions.cookie_user(engine, good, KEY) is None


def test_sign_ins_failures_lockouts_and_unlocks_are_audited(engine, alice):
    assert users.authenticate(engine, username="alice", password=PASSWORD)
    for _ in range(users.MAX_FAILED_LOGINS):
        users.authenticate(engine, username="alice", password="wrong-pass-1")
    locked = users.find_user(engine, "alice")
    assert locked.locked() and locked.failed_logins == users.MAX_FAILED_LOGINS
    assert locked.last_login_at is not None
    users.authenticate(engine, username="alice", password=PASSWORD)  # refused: locked
    users.unlock(engine, actor=ADMIN, username="alice")
    unlocked = users.find_user(engine, "alice")
    assert not unlocked.locked() and unlocked.failed_logins == 0
    assert users.authenticate(engine, username="alice", password=PASSWORD)
    actions = _actions(engine)
    assert actions[0] == "user.create" and actions[1] == "auth.login"
    assert actions.count("auth.login_failed") == users.MAX_FAILED_LOGINS
    assert actions.count("auth.locked_out") == 1
    assert actions.count("auth.login_refused_locked") == 1
    assert actions[-2:] == ["user.unlock", "auth.login"]


def test_admin_forces_a_password_change_without_ending_sessions(engine, alice):
    sid, _ = sessions.start_session(engine, user=alice)
    users.require_password_change(engine, actor=ADMIN, username="alice")
    user = sessions.session_user(engine, sid=sid)
    assert user is not None and user.must_change_password
    with pytest.raises(PermissionDenied):
        users.unlock(engine, actor=Actor("h", ("hr",)), username="alice")


@pytest.mark.parametrize("name", ["A\x00B", "tab\there", "bell\x07", "rtl\u202eevil", "zw\u200bsp",
                                  "line\u2028sep"])
def test_display_names_with_control_characters_are_refused(engine, name):
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(engine, actor=ADMIN, username="ctl_user", display_name=name,
                          roles=["hr"], password=PASSWORD)
    assert refused.value.key == "auth_s.display_name_control"
    assert users.find_user(engine, "ctl_user") is None


def test_ordinary_and_emoji_display_names_are_kept(engine):
    for i, name in enumerate(["欧阳娜娜", "Anne-Marie O'Neil", "👩\u200d🔧 Li"]):
        user = users.create_user(engine, actor=ADMIN, username=f"name_{i}", display_name=name,
                                 roles=["hr"], password=PASSWORD)
        assert user.display_name == name
