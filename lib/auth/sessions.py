"""Sessions the console owns: one row per signed-in browser, each revocable.

The login cookie (signed by streamlit-authenticator's JWT) carries a random
session id; the table keeps only its SHA-256, so a copy of the database opens
no session. Every script run checks the session here, so ending it (sign-out
in that browser, an admin on the Users page, "sign out everywhere") takes
effect on the next run of every tab that holds it.

The server decides how long a session lives (`expires_at`, SESSION_DAYS after
sign-in), whatever expiry the cookie claims: a token signed with the key and a
far-future expiry opens nothing once its session has ended or expired.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import Engine, insert, select, update

from lib import audit
from lib.auth.users import PERMISSION, User, _user, now_ms
from lib.db.schema import console_sessions as sessions_table
from lib.db.schema import console_users as users_table
from lib.roles import Actor, require
from lib.timeutil import now_local

SESSION_DAYS = 1.0
TOUCH_EVERY = timedelta(minutes=5)  # how stale "last seen" may get (one write per 5 min)
CLOCK_SLACK_S = 300


@dataclass(frozen=True)
class Session:
    id: int
    username: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    ended_by: str | None
    client: str | None
    active: bool


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start_session(engine: Engine, *, user: User, client: str | None = None) -> tuple[str, int]:
    """A new session for `user`; returns (session id for the cookie, issued ms)."""
    sid, issued, now = secrets.token_urlsafe(32), now_ms(), now_local()
    with engine.begin() as connection:
        connection.execute(insert(sessions_table).values(
            sid_hash=_digest(sid), user_id=user.id, issued_ms=issued, created_at=now,
            last_seen_at=now, expires_at=now + timedelta(days=SESSION_DAYS),
            client=(client or "")[:120] or None))
    return sid, issued


def session_user(engine: Engine, *, sid: str | None, now: datetime | None = None) -> User | None:
    """The user of session `sid`, or None if it is unknown, ended or expired."""
    if not sid:
        return None
    now = now or now_local()
    query = (select(users_table, sessions_table.c.id.label("session_id"),
                    sessions_table.c.issued_ms, sessions_table.c.last_seen_at,
                    sessions_table.c.expires_at, sessions_table.c.ended_at)
             .join(users_table, users_table.c.id == sessions_table.c.user_id)
             .where(sessions_table.c.sid_hash == _digest(sid)))
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if (row is None or row.ended_at is not None or row.expires_at <= now or row.disabled
            or row.issued_ms < row.sessions_valid_after_ms):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with engine.begin() as connection:
            connection.execute(update(sessions_table).where(sessions_table.c.id == row.session_id)
                               .values(last_seen_at=now))
    return _user(row)


def end_session(engine: Engine, *, sid: str | None, ended_by: str) -> None:
    """Sign out this browser only: its session ends, the user's others go on."""
    if not sid:
        return
    with engine.begin() as connection:
        connection.execute(update(sessions_table)
                           .where(sessions_table.c.sid_hash == _digest(sid),
                                  sessions_table.c.ended_at.is_(None))
                           .values(ended_at=now_local(), ended_by=ended_by))


def list_sessions(engine: Engine, *, actor: Actor, username: str, limit: int = 50) -> list[Session]:
    """A user's sessions, newest first (admin only): the live ones and recent ended ones."""
    require(actor, PERMISSION)
    now = now_local()
    query = (select(sessions_table, users_table.c.username, users_table.c.disabled,
                    users_table.c.sessions_valid_after_ms)
             .join(users_table, users_table.c.id == sessions_table.c.user_id)
             .where(users_table.c.username == username)
             .order_by(sessions_table.c.created_at.desc(), sessions_table.c.id.desc())
             .limit(limit))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [Session(r.id, r.username, r.created_at, r.last_seen_at, r.expires_at, r.ended_at,
                    r.ended_by, r.client,
                    r.ended_at is None and r.expires_at > now and not r.disabled
                    and r.issued_ms >= r.sessions_valid_after_ms) for r in rows]


def end_session_by_id(engine: Engine, *, actor: Actor, session_id: int) -> bool:
    """The admin ends one session (Users page); audited. False if it had already ended."""
    require(actor, PERMISSION)
    now = now_local()
    with engine.begin() as connection:
        row = connection.execute(select(sessions_table.c.user_id, sessions_table.c.created_at)
                                 .where(sessions_table.c.id == session_id)).first()
        if row is None:
            return False
        ended = connection.execute(update(sessions_table)
                                   .where(sessions_table.c.id == session_id,
                                          sessions_table.c.ended_at.is_(None))
                                   .values(ended_at=now, ended_by=actor.username)).rowcount
        if ended:
            audit.record(connection, actor=actor, permission=PERMISSION, action="session.end",
                         entity="console_users", entity_id=row.user_id,
                         before={"session": session_id, "created_at": row.created_at},
                         after={"session": session_id, "ended_at": now})
    return bool(ended)


# -- the login cookie's claims --------------------------------------------------

def encode_claims(*, username: str, sid: str, key: str, now_s: float | None = None) -> str:
    """The token the login cookie holds (streamlit-authenticator's claims plus `sid`)."""
    exp = (now_s or time.time()) + SESSION_DAYS * 86400
    return jwt.encode({"username": username, "exp_date": exp, "sid": sid}, key, algorithm="HS256")


def decode_claims(token: str | None, key: str, now_s: float | None = None) -> dict | None:
    """The claims of a login cookie signed with `key`, or None.

    Refused: a bad signature, a token without a session id (the library's own
    format, or one made before sessions existed), an expired one, and one
    claiming to live longer than the server ever issues (signed with the key
    by someone else).
    """
    if not token:
        return None
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    now_s = now_s or time.time()
    exp = claims.get("exp_date")
    if (not isinstance(claims.get("username"), str) or not isinstance(claims.get("sid"), str)
            or not isinstance(exp, (int, float)) or exp < now_s
            or exp > now_s + SESSION_DAYS * 86400 + CLOCK_SLACK_S):
        return None
    return claims


def cookie_user(engine: Engine, token: str | None, key: str) -> tuple[User, str] | None:
    """(user, session id) of a login cookie, if its session is alive and its user matches."""
    claims = decode_claims(token, key)
    user = claims and session_user(engine, sid=claims["sid"])
    if not user or user.username != claims["username"]:
        return None
    return user, claims["sid"]


def issue_cookie_token(engine: Engine, *, username: str, key: str) -> str:
    """A new session of `username` and its cookie token, for tools that sign in
    without the form (the load test, browser tests). Raises if there is no such
    user; the session is as revocable as any other."""
    from lib.auth.users import find_user
    user = find_user(engine, username)
    if user is None:
        raise LookupError(f"no user {username}")
    sid, _ = start_session(engine, user=user, client="tool")
    return encode_claims(username=user.username, sid=sid, key=key)
