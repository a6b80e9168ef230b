"""Console users in the database: log in, lock out, end sessions, administer.

Sessions (`lib.auth.sessions`): one row per signed-in browser, its id in the
login cookie. A session is valid while it is not ended, the user exists and
is enabled, and it was issued after `sessions_valid_after_ms`. Signing out
ends that browser's session only; "sign out everywhere", changing or
resetting a password, changing roles and disabling move the mark to now and
end every session of the user at once, a copied cookie included.

Lockout is decided atomically: before a password is checked, one conditional
UPDATE takes an attempt (`failed_logins + 1`, only while the account is under
the limit and not locked) and sets the lock when it takes the last one. So
however many attempts arrive at once, at most MAX_FAILED_LOGINS passwords are
ever checked before the lock; a right password clears the count.
"""
from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, Row, case, insert, select, update

from lib import audit
from lib.auth.passwords import (
    burn_equal_time,
    hash_password,
    password_matches,
    validate_new_password,
)
from lib.commands import collect
from lib.db.schema import console_sessions as sessions_table
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
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.roles)

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or now_local())


def now_ms() -> int:
    return int(time.time() * 1000)


def _user(row: Row) -> User:
    return User(row.id, row.username, row.display_name, parse_roles(row.roles),
                bool(row.disabled), bool(row.must_change_password), int(row.failed_logins or 0),
                row.locked_until, row.last_login_at)


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
    bcrypt time. Sign-ins, failed sign-ins and lock-outs are audited.
    """
    now = now or now_local()
    with engine.begin() as connection:
        row = _row(connection, username)
        taken = row is not None and _take_attempt(connection, row.id, now)
        if taken:
            after = connection.execute(select(users_table.c.failed_logins, users_table.c.locked_until)
                                       .where(users_table.c.id == row.id)).one()
    if not taken:  # unknown, or locked: nothing is checked, at the same cost
        burn_equal_time(password)
        if row is not None:
            _audit_sign_in(engine, row, "auth.login_refused_locked", now)
        return None
    if not password_matches(password, row.password_hash) or row.disabled:
        _audit_sign_in(engine, row, "auth.login_failed", now, failed_logins=after.failed_logins)
        if after.locked_until is not None:
            _audit_sign_in(engine, row, "auth.locked_out", now, locked_until=after.locked_until)
        return None
    with engine.begin() as connection:
        connection.execute(update(users_table).where(users_table.c.id == row.id)
                           .values(failed_logins=0, locked_until=None, last_login_at=now))
        _audit(connection, _actor(row), "auth.login", row.id, None, None, permission=None, at=now)
    return _user(_row_by_id(engine, row.id))


def _take_attempt(connection, user_id: int, now: datetime) -> bool:
    """Take one attempt for `user_id` atomically; False if none is left (locked).

    An expired lock is cleared first (a fresh count). Then one conditional
    UPDATE counts the attempt and, when it is the last allowed one, sets the
    lock in the same statement. MariaDB evaluates the assignments left to right
    (the others all at once), so the lock is computed before the count moves.
    """
    connection.execute(update(users_table)
                       .where(users_table.c.id == user_id, users_table.c.locked_until <= now)
                       .values(failed_logins=0, locked_until=None))
    counted = users_table.c.failed_logins
    result = connection.execute(
        update(users_table)
        .where(users_table.c.id == user_id, users_table.c.locked_until.is_(None),
               counted < MAX_FAILED_LOGINS)
        # In this order: MariaDB's SET sees columns already assigned to their new value.
        .ordered_values(
            (users_table.c.locked_until,
             case((counted + 1 >= MAX_FAILED_LOGINS, now + LOCKOUT), else_=None)),
            (users_table.c.failed_logins, counted + 1)))
    return result.rowcount == 1


def _actor(row: Row) -> Actor:
    return Actor(row.username, parse_roles(row.roles))


def _audit_sign_in(engine: Engine, row: Row, action: str, now: datetime, **after) -> None:
    with engine.begin() as connection:
        _audit(connection, _actor(row), action, row.id, None, after or None, permission=None,
               at=now)


def _row_by_id(engine: Engine, user_id: int) -> Row:
    with engine.connect() as connection:
        return connection.execute(select(users_table).where(users_table.c.id == user_id)).one()


def end_sessions(engine: Engine, *, username: str, ended_by: str | None = None) -> int:
    """End every session of `username` ("sign out everywhere"); returns the new mark (ms)."""
    mark = now_ms()
    with engine.begin() as connection:
        _end_sessions(connection, username, mark, ended_by or username)
    return mark


def _end_sessions(connection, username: str, mark: int | None = None,
                  ended_by: str | None = None) -> None:
    connection.execute(update(users_table).where(users_table.c.username == username)
                       .values(sessions_valid_after_ms=mark or now_ms()))
    user_id = select(users_table.c.id).where(users_table.c.username == username).scalar_subquery()
    connection.execute(update(sessions_table)
                       .where(sessions_table.c.user_id == user_id, sessions_table.c.ended_at.is_(None))
                       .values(ended_at=now_local(), ended_by=ended_by or username))


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
            password_hash=hash_password(new_password), must_change_password=False))
        _end_sessions(connection, username)
        _audit(connection, Actor(username, parse_roles(row.roles)), "password.change", row.id,
               None, None, permission=None)


# -- administering users ---------------------------------------------------

# Control, surrogate, private-use and unassigned characters, and the format
# characters that reorder or hide text, except the joiner emoji need.
_ALLOWED_FORMAT = {"\u200d"}


def validated_display_name(display_name: str | None) -> str:
    """A display name of 1-64 printable characters (no NUL, no control or
    direction-changing characters), stripped."""
    display_name = (display_name or "").strip()
    if not 1 <= len(display_name) <= 64:
        raise ValidationFailed("auth.display_name_invalid")
    for char in display_name:
        category = unicodedata.category(char)
        if category[0] == "C" and char not in _ALLOWED_FORMAT or category in ("Zl", "Zp"):
            raise ValidationFailed("auth_s.display_name_control")
    return display_name


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
                                   "must_change_password", "failed_logins", "locked_until")
            if k in values}


def _audit(connection, actor: Actor, action: str, user_id: int, before, after,
           permission: str | None = PERMISSION, at: datetime | None = None) -> None:
    audit.record(connection, actor=actor, permission=permission, action=action,
                 entity="console_users", entity_id=user_id, before=before, after=after, at=at)


def _validated_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise ValidationFailed("auth.username_invalid")
    return username


def create_user(engine: Engine, *, actor: Actor, username: str, display_name: str,
                roles, password: str, must_change_password: bool = True) -> User:
    require(actor, PERMISSION)
    # Every field is checked, so the form can list all that is wrong at once.
    username, display_name, roles, _ = collect(
        lambda: _validated_username(username),
        lambda: validated_display_name(display_name),
        lambda: _validated_roles(roles),
        lambda: validate_new_password(password))
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


def _change(engine: Engine, actor: Actor, username: str, action: str, values: dict,
            end_sessions_too: bool = True) -> User:
    require(actor, PERMISSION)
    with engine.begin() as connection:
        row = _row(connection, username)
        if row is None:
            raise NotFound("error.not_found")
        connection.execute(update(users_table).where(users_table.c.id == row.id).values(**values))
        if end_sessions_too:
            _end_sessions(connection, username, ended_by=actor.username)
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


def unlock(engine: Engine, *, actor: Actor, username: str) -> User:
    """The admin lifts a lock-out (and the count of failed sign-ins) at once."""
    return _change(engine, actor, username, "user.unlock",
                   {"failed_logins": 0, "locked_until": None}, end_sessions_too=False)


def require_password_change(engine: Engine, *, actor: Actor, username: str) -> User:
    """The user must choose a new password before opening any page (from the next run)."""
    return _change(engine, actor, username, "user.force_password_change",
                   {"must_change_password": True}, end_sessions_too=False)
