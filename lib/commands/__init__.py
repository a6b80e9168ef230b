"""The console's writes (certifications, trade-in coupons, free-repair days) and
the read queries their admin pages need.

Every write function here
- is keyword-only and takes the engine first: `approve_certification(engine, *, actor, ...)`;
- checks the actor's role itself (`lib.roles.require`) before touching anything;
- validates its input and refuses with `ValidationFailed(key, **params)`;
- runs in one transaction, with its audit entry in that same transaction;
- moves a row's status with a conditional UPDATE (`... WHERE status = 'pending'`)
  and checks the row count, so of two people (or two clicks) exactly one wins
  and the other gets `Conflict` naming who decided what and when;
- turns "database locked or gone" into `ServiceUnavailable`, nothing half-written.

This module holds what they share; the commands live in the submodules.
"""
from __future__ import annotations

import unicodedata
from contextlib import contextmanager
from datetime import datetime
from typing import Iterator

from sqlalchemy import Connection, Engine, select

from lib.db.engine import is_unavailable
from lib.db.schema import console_audit_log
from lib.errors import (Conflict, OutcomeUnknown, Problems, ServiceUnavailable, UserFacingError,
                        ValidationFailed)
from lib.roles import Actor, require
from lib.timeutil import now_local

REASON_MIN_CHARS = 2
REASON_MAX_CHARS = 500
ALLOWED_CONTROL = {"\n", "\t"}


class Lost(Exception):
    """Internal: the conditional UPDATE matched nothing; someone else decided first.

    Raised inside the transaction so it rolls back; the caller then reads, in a
    fresh transaction, who won (a snapshot taken before the winner committed,
    as MariaDB's repeatable read keeps, would not show it).
    """


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """`engine.begin()`, with 'database locked or gone' turned into ServiceUnavailable.

    Before the COMMIT is sent, a failure means nothing was changed. When the COMMIT
    itself fails that way, the database may have saved the change or not: that is
    OutcomeUnknown ("check the list"), never "nothing was changed".
    """
    try:
        with engine.connect() as connection:
            outer = connection.begin()
            try:
                yield connection
            except BaseException:
                try:
                    outer.rollback()
                except Exception:  # the database is gone: nothing was committed anyway
                    pass
                raise
            try:
                outer.commit()
            except Exception as error:
                if is_unavailable(error):
                    raise OutcomeUnknown("forms.outcome_unknown") from error
                raise
    except (UserFacingError, Lost):
        raise
    except Exception as error:
        if is_unavailable(error):
            raise ServiceUnavailable("error.database_unavailable") from error
        raise


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read-only connection, with the same error translation as `transaction`."""
    try:
        with engine.connect() as connection:
            yield connection
    except UserFacingError:
        raise
    except Exception as error:
        if is_unavailable(error):
            raise ServiceUnavailable("error.database_unavailable") from error
        raise


def permitted(actor: Actor | None, permission: str) -> Actor:
    return require(actor, permission)


def moment(now: datetime | None) -> datetime:
    """`now`, or Beijing local time now (naive, to the second, like the database)."""
    return now if now is not None else now_local()


def clean_text(value: object, *, required_key: str, too_long_key: str,
               min_chars: int = REASON_MIN_CHARS, max_chars: int = REASON_MAX_CHARS) -> str:
    """Stripped text of `min_chars`..`max_chars` characters, printable, or a refusal."""
    if not isinstance(value, str):
        raise ValidationFailed(required_key, min_chars=min_chars)
    text = value.strip()
    if len(text) < min_chars:
        raise ValidationFailed(required_key, min_chars=min_chars)
    if len(text) > max_chars:
        raise ValidationFailed(too_long_key, max_chars=max_chars, length=len(text))
    for character in text:
        category = unicodedata.category(character)
        # Control characters cannot be shown (and NUL cannot be stored in PostgreSQL);
        # lone surrogates cannot be encoded. Unassigned code points may be newer emoji: allowed.
        if (category == "Cc" and character not in ALLOWED_CONTROL) or category == "Cs":
            raise ValidationFailed("commands.text_bad_characters")
    return text


def validate_reason(reason: object) -> str:
    """A decision's reason: required, 2 to 500 characters, no control characters."""
    return clean_text(reason, required_key="commands.reason_required",
                      too_long_key="commands.reason_too_long")


def validate_id(value: object, *, field: str) -> int:
    """A record id: a positive integer (bool is not an integer here)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise ValidationFailed("commands.bad_id", field=field)
    return value


def validate_limit(limit: object, *, maximum: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 < limit <= maximum:
        raise ValidationFailed("commands.bad_limit", maximum=maximum)
    return limit


def last_decision(connection: Connection, *, entity: str, entity_id: int,
                  actions: tuple[str, ...]) -> dict | None:
    """The newest audit entry of one of `actions` on a record: who, when, what."""
    row = connection.execute(
        select(console_audit_log.c.actor, console_audit_log.c.at, console_audit_log.c.action)
        .where(console_audit_log.c.entity == entity, console_audit_log.c.entity_id == entity_id,
               console_audit_log.c.action.in_(actions))
        .order_by(console_audit_log.c.at.desc(), console_audit_log.c.id.desc()).limit(1)
    ).first()
    return dict(row._mapping) if row else None


def changed_meanwhile(connection: Connection, *, entity: str, entity_id: int, status: str,
                      expected: str) -> Conflict:
    """The refusal of a decision taken on a record shown as `expected` that is now `status`:
    who changed it, when and how, from the audit log (the platform writes no audit entry:
    then the platform is named)."""
    log = console_audit_log
    row = connection.execute(
        select(log.c.actor, log.c.at, log.c.action)
        .where(log.c.entity == entity, log.c.entity_id == entity_id)
        .order_by(log.c.at.desc(), log.c.id.desc()).limit(1)).first()
    return Conflict("forms.changed_meanwhile", id=entity_id, expected=expected, decision=status,
                    by=row.actor if row else "platform", at=row.at if row else "?",
                    action=row.action if row else "?")


def collect(*checks) -> list:
    """Run each zero-argument check; return its value, gathering every refusal.

    Raises Problems with all of them when more than one check refused (a single
    refusal is raised as it is), so a form lists every problem at once.
    """
    values, problems = [], []
    for check in checks:
        try:
            values.append(check())
        except Problems as error:
            problems.extend(error.problems)
            values.append(None)
        except ValidationFailed as error:
            problems.append(error)
            values.append(None)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)
    return values
