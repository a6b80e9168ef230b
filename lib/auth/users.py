"""Console users in the database: log in, lock out, end sessions, administer.

Sessions: a session (or its login cookie) carries the moment it was issued.
It is valid while the user exists, is enabled and that moment is not before
`sessions_valid_after_ms`. Logging out, changing or resetting a password,
changing roles and disabling move that mark to now, which ends every session
of the user at once, a copied cookie included.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, Row, insert, select, update

from lib import audit
from lib.auth.passwords import (
    burn_equal_time,
    hash_password,
    password_matches,
    validate_new_password,
)
from lib.db.schema import console_users as users_table
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.roles import ADMIN, ROLES, Actor, parse_roles, require
from lib.timeutil import now_local

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")
PERMISSION = "users.manage"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    disabled: bool
    must_change_password: bool

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.roles)


def now_ms() -> int:
    return int(time.time() * 1000)


def _user(row: Row) -> User:
    return User(row.id, row.username, row.display_name, parse_roles(row.roles),
                bool(row.disabled), bool(row.must_change_password))


def _row(connection, username: str) -> Row | None:
    query = select(users_table).where(users_table.c.username == username)
    return connection.execute(query).first()


def find_user(engine: Engine, username: str) -> User | None:
    with engine.connect() as connection:
        row = _row(connection, username)
    return _user(row) if row else None


def list_users(engine: Engine, *, actor: Actor) -> list[User]:
    require(actor, PERMISSION)
    with engine.connect() as connection:
        rows = connection.execute(select(users_table).order_by(users_table.c.username))
        return [_user(row) for row in rows]


# -- logging in ------------------------------------------------------------

def authenticate(engine: Engine, *, username: str, password: str,
                 now: datetime | None = None) -> User | None:
    """The user, if the password is right and the account is usable; else None.

    Callers show one message for every failure: unknown user, wrong password,
    locked or disabled account look the same from outside, and take the same
    bcrypt time.
    """
    now = now or now_local()
    with engine.begin() as connection:
        row = _row(connection, username)
        if row is None:
            burn_equal_time(password)
            return None
        if row.locked_until is not None and row.locked_until > now:
            burn_equal_time(password)
            return None
        if not password_matches(password, row.password_hash) or row.disabled:
            _count_failure(connection, row, now)
            return None
        connection.execute(update(users_table).where(users_table.c.id == row.id)
                           .values(failed_logins=0, locked_until=None))
        return _user(row)


def _count_failure(connection, row: Row, now: datetime) -> None:
    # An expired lock starts a fresh count; the increment is done by the
    # database so that parallel failures are all counted.
    base = 0 if row.locked_until is not None else users_table.c.failed_logins
    connection.execute(update(users_table).where(users_table.c.id == row.id)
                       .values(failed_logins=base + 1, locked_until=None))
    failures = connection.execute(select(users_table.c.failed_logins)
                                  .where(users_table.c.id == row.id)).scalar_one()
    if failures >= MAX_FAILED_LOGINS:
        connection.execute(update(users_table).where(users_table.c.id == row.id)
                           .values(locked_until=now + LOCKOUT))


def session_user(engine: Engine, *, username: str, issued_ms: int) -> User | None:
    """The user of a session issued at `issued_ms`, or None if it has been ended."""
    with engine.connect() as connection:
        row = _row(connection, username)
    if row is None or row.disabled or issued_ms < row.sessions_valid_after_ms:
        return None
    return _user(row)


def end_sessions(engine: Engine, *, username: str) -> int:
    """End every session of `username`; returns the new validity mark (ms)."""
    mark = now_ms()
    with engine.begin() as connection:
        _end_sessions(connection, username, mark)
    return mark


def _end_sessions(connection, username: str, mark: int | None = None) -> None:
    connection.execute(update(users_table).where(users_table.c.username == username)
                       .values(sessions_valid_after_ms=mark or now_ms()))


def change_own_password(engine: Engine, *, username: str, current_password: str,
                        new_password: str) -> None:
    """The signed-in user changes their password; all their sessions end."""
    if current_password == new_password:
        raise ValidationFailed("auth.password_unchanged")
    validate_new_password(new_password)
    with engine.begin() as connection:
        row = _row(connection, username)
        if row is None or not password_matches(current_password, row.password_hash):
            raise ValidationFailed("auth.current_password_wrong")
        connection.execute(update(users_table).where(users_table.c.id == row.id).values(
            password_hash=hash_password(new_password), must_change_password=False,
            sessions_valid_after_ms=now_ms()))
        _audit(connection, Actor(username, parse_roles(row.roles)), "password.change", row.id,
               None, None, permission=None)


# -- administering users ---------------------------------------------------

def _validated_roles(roles) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(roles))
    if not chosen:
        raise ValidationFailed("auth.roles_required")
    unknown = [r for r in chosen if r not in ROLES]
    if unknown:
        raise ValidationFailed("auth.roles_unknown", roles=", ".join(map(str, unknown)))
    return chosen


def _public(row_or_values) -> dict:
    """What the audit log keeps of a user: never the password hash."""
    values = dict(row_or_values._mapping if isinstance(row_or_values, Row) else row_or_values)
    return {k: values[k] for k in ("username", "display_name", "roles", "disabled",
                                   "must_change_password") if k in values}


def _audit(connection, actor: Actor, action: str, user_id: int, before, after,
           permission: str | None = PERMISSION) -> None:
    audit.record(connection, actor=actor, permission=permission, action=action,
                 entity="console_users", entity_id=user_id, before=before, after=after)


def create_user(engine: Engine, *, actor: Actor, username: str, display_name: str,
                roles, password: str, must_change_password: bool = True) -> User:
    require(actor, PERMISSION)
    username = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise ValidationFailed("auth.username_invalid")
    display_name = (display_name or "").strip()
    if not 1 <= len(display_name) <= 64:
        raise ValidationFailed("auth.display_name_invalid")
    roles = _validated_roles(roles)
    validate_new_password(password)
    values = dict(username=username, display_name=display_name, roles=",".join(roles),
                  password_hash=hash_password(password), disabled=False,
                  must_change_password=must_change_password, failed_logins=0,
                  sessions_valid_after_ms=0, created_at=now_local())
    with engine.begin() as connection:
        if _row(connection, username) is not None:
            raise Conflict("auth.username_taken", username=username)
        user_id = connection.execute(insert(users_table).values(**values)).inserted_primary_key[0]
        _audit(connection, actor, "user.create", user_id, None, _public(values))
        return _user(_row(connection, username))


def _change(engine: Engine, actor: Actor, username: str, action: str, values: dict) -> User:
    require(actor, PERMISSION)
    with engine.begin() as connection:
        row = _row(connection, username)
        if row is None:
            raise NotFound("error.not_found")
        connection.execute(update(users_table).where(users_table.c.id == row.id)
                           .values(**values, sessions_valid_after_ms=now_ms()))
        after = _row(connection, username)
        _audit(connection, actor, action, row.id, _public(row), _public(after))
        return _user(after)


def set_roles(engine: Engine, *, actor: Actor, username: str, roles) -> User:
    roles = _validated_roles(roles)
    if username == actor.username and ADMIN not in roles:
        raise ValidationFailed("auth.cannot_drop_own_admin")
    return _change(engine, actor, username, "user.roles", {"roles": ",".join(roles)})


def set_disabled(engine: Engine, *, actor: Actor, username: str, disabled: bool) -> User:
    if username == actor.username and disabled:
        raise ValidationFailed("auth.cannot_disable_self")
    return _change(engine, actor, username, "user.disable" if disabled else "user.enable",
                   {"disabled": bool(disabled)})


def reset_password(engine: Engine, *, actor: Actor, username: str,
                   temporary_password: str) -> User:
    """The admin sets a temporary password the user must change at next login."""
    validate_new_password(temporary_password)
    return _change(engine, actor, username, "user.reset_password",
                   {"password_hash": hash_password(temporary_password),
                    "must_change_password": True, "failed_logins": 0, "locked_until": None})
