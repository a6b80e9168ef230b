"""The evaluator's writes to console_alert_state.

Two runs at once (two cron hosts, a manual run beside the timer) must not send the
same alert twice. Each run reads a rule's state with its `seq`, decides, and then
*claims* the new state with one conditional UPDATE (`... WHERE rule_id = ? AND seq = ?`,
seq + 1) committed before anything is sent. Exactly one of two runs that read the
same seq matches a row; the other sees rowcount 0 and sends nothing. This holds on
SQLite (the UPDATE takes the database's write lock, the second one waits and then
matches nothing), PostgreSQL (the second UPDATE waits for the first's row lock and
re-checks its WHERE against the committed row) and MariaDB (an UPDATE reads the latest
committed row, whatever the snapshot), and nothing is held locked while messages are
sent. A rule without a state row (made outside the console) is claimed by INSERT,
where the primary key lets only one run through.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from lib.alerts.decide import State
from lib.db.schema import console_alert_state as states


def _values(state: State) -> dict:
    return dict(firing=state.firing, firing_since=state.firing_since, last_sent_at=state.last_sent_at)


def claim(engine, *, rule_id: int, seq: int | None, state: State, value: float | None,
          as_of: datetime) -> int | None:
    """Move the rule to `state` if its seq is still `seq`; the new seq, or None when
    another run got there first."""
    values = dict(_values(state), last_value=value, evaluated_at=as_of)
    try:
        with engine.begin() as connection:
            if seq is None:
                connection.execute(insert(states).values(rule_id=rule_id, seq=1, **values))
                return 1
            changed = connection.execute(update(states).where(states.c.rule_id == rule_id, states.c.seq == seq)
                                         .values(seq=seq + 1, **values)).rowcount
    except IntegrityError:
        return None
    return seq + 1 if changed == 1 else None


def release(engine, *, rule_id: int, seq: int, state: State) -> bool:
    """Put back the state before a claim whose message reached no destination, so the
    next run tries again; only if nobody moved the rule since (`seq` is the claim's)."""
    with engine.begin() as connection:
        return connection.execute(update(states).where(states.c.rule_id == rule_id, states.c.seq == seq)
                                  .values(seq=seq + 1, **_values(state))).rowcount == 1


def create_state(connection, rule_id: int) -> None:
    """The state of a new rule (in the command's transaction): not firing, seq 0."""
    connection.execute(insert(states).values(rule_id=rule_id, firing=False, seq=0))
