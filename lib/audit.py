"""The append-only audit log: who, acting as which role, did what, to which record.

`record()` takes the caller's connection, so the entry commits or rolls back
with the write it describes. Personal data must be masked before it gets here
(see `lib.masking`).

`record_export()` is for every page that offers a CSV holding personal data
(phones, member ids, names): call it when the file is built (who, which page,
how many rows), e.g. from the `data=` callable of a download button.
`changes()` turns an entry's before/after into (field, old, new) rows for
reading.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select

from lib.db.schema import console_audit_log, console_users
from lib.roles import Actor, require
from lib.timeutil import now_local


def _as_json(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def _role(actor: Actor, permission: str | None) -> str:
    """The role the action was taken under; a user acting on their own
    account (permission None) is recorded under their first role."""
    if permission is None:
        return actor.roles[0] if actor.roles else "none"
    return actor.role_for(permission)


def record(connection: Connection, *, actor: Actor, permission: str | None, action: str,
           entity: str, entity_id: int | None, before: dict | None = None,
           after: dict | None = None, at: datetime | None = None) -> None:
    connection.execute(insert(console_audit_log).values(
        at=at or now_local(), actor=actor.username, actor_role=_role(actor, permission),
        action=action, entity=entity, entity_id=entity_id,
        before_json=_as_json(before), after_json=_as_json(after),
    ))


EXPORT_ACTION = "export.csv"


def record_export(engine, *, actor: Actor, page: str, rows: int, what: str,
                  at: datetime | None = None) -> None:
    """Audit one CSV export holding personal data: who, from which page, how many rows."""
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
        raise ValueError("rows must be a count")
    with engine.begin() as connection:
        record(connection, actor=actor, permission=None, action=EXPORT_ACTION, entity="export",
               entity_id=None, before=None,
               after={"page": str(page)[:80], "rows": rows, "what": str(what)[:80]}, at=at)


def changes(before: dict | None, after: dict | None) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for every field an entry's before or after names, in a stable order:
    the fields present in both first, then new ones."""
    before, after = before or {}, after or {}
    names = [k for k in before if k in after] + [k for k in before if k not in after] + \
        [k for k in after if k not in before]
    return [(name, before.get(name), after.get(name)) for name in names
            if before.get(name) != after.get(name) or name not in before]


def entries(engine, *, actor: Actor, action: str | None = None, entity: str | None = None,
            username: str | None = None, since: datetime | None = None,
            until: datetime | None = None, limit: int = 500,
            name_part: str | None = None) -> list[dict]:
    """The newest audit entries matching the filters (admin only), at most `limit`.

    `name_part` matches a part of the actor's user name or display name, any case.
    """
    require(actor, "audit.read")
    log = console_audit_log
    query = select(log).order_by(log.c.at.desc(), log.c.id.desc()).limit(max(1, min(limit, 5000)))
    if action:
        query = query.where(log.c.action == action)
    if entity:
        query = query.where(log.c.entity == entity)
    if username:
        query = query.where(log.c.actor == username)
    if since:
        query = query.where(log.c.at >= since)
    if until:
        query = query.where(log.c.at < until)
    if name_part:
        part = name_part.strip().lower()[:64]
        named = select(console_users.c.username).where(
            func.lower(console_users.c.display_name).contains(part, autoescape=True))
        query = query.where(or_(func.lower(log.c.actor).contains(part, autoescape=True),
                                log.c.actor.in_(named)))
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def actions(engine, *, actor: Actor) -> list[str]:
    require(actor, "audit.read")
    with engine.connect() as connection:
        query = select(console_audit_log.c.action).distinct().order_by(console_audit_log.c.action)
        return list(connection.execute(query).scalars())
