"""The append-only audit log: who, acting as which role, did what, to which record.

`record()` takes the caller's connection, so the entry commits or rolls back
with the write it describes. Personal data must be masked before it gets here
(see `lib.masking`).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from lib.db.schema import console_audit_log
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


def entries(engine, *, actor: Actor, action: str | None = None, entity: str | None = None,
            username: str | None = None, since: datetime | None = None,
            until: datetime | None = None, limit: int = 500) -> list[dict]:
    """The newest audit entries matching the filters (admin only), at most `limit`."""
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
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def actions(engine, *, actor: Actor) -> list[str]:
    require(actor, "audit.read")
    with engine.connect() as connection:
        query = select(console_audit_log.c.action).distinct().order_by(console_audit_log.c.action)
        return list(connection.execute(query).scalars())
