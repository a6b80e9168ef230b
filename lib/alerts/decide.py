"""What one evaluation of a rule means: the state after it and what, if anything, to send.

- A rule that becomes true is firing from that evaluation and sends an alert.
- One that stays true sends again only when its repeat interval has passed since the
  last alert sent (`as_of >= last_sent_at + repeat`), never within it.
- One that becomes false sends its recovery once and is no longer firing; a second
  false evaluation finds it not firing and sends nothing.
- No figure (nothing to count in the window, e.g. no installs came due): nothing changes
  and nothing is sent; a firing rule stays firing until a figure says otherwise.
- Quiet hours send nothing. An alert that fires in quiet hours is held: the rule is
  firing with no alert sent yet (`last_sent_at` NULL), and the first evaluation after
  the quiet hours sends it if the rule is still true. If it turns false while held,
  it is dropped without a recovery (nobody was told it fired). A recovery due in quiet
  hours waits the same way: the rule stays firing and the recovery is sent by the
  first evaluation after them if it is still false; true again by then, it simply
  carries on firing (re-sent on its repeat interval).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

ALERT, RECOVERY = "alert", "recovery"


@dataclass(frozen=True)
class State:
    firing: bool = False
    firing_since: datetime | None = None
    last_sent_at: datetime | None = None


@dataclass(frozen=True)
class Decision:
    send: str | None     # ALERT, RECOVERY or None
    state: State         # the state after this evaluation (and after the send)
    why: str             # new, repeat, held, quiet, recovered, dropped, within_repeat, ok, no_data


def decide(state: State, holds: bool | None, *, as_of: datetime, repeat_minutes: int,
           quiet: bool) -> Decision:
    """`holds`: the rule's condition at `as_of` (None: no figure)."""
    if holds is None:
        return Decision(None, state, "no_data")
    if holds:
        if not state.firing:
            firing = State(True, as_of, None)
            return Decision(None, firing, "held") if quiet else \
                Decision(ALERT, replace(firing, last_sent_at=as_of), "new")
        if quiet:
            return Decision(None, state, "quiet")
        if state.last_sent_at is None:
            return Decision(ALERT, replace(state, last_sent_at=as_of), "new")
        if as_of >= state.last_sent_at + timedelta(minutes=repeat_minutes):
            return Decision(ALERT, replace(state, last_sent_at=as_of), "repeat")
        return Decision(None, state, "within_repeat")
    if not state.firing:
        return Decision(None, state, "ok")
    if state.last_sent_at is None:
        return Decision(None, State(), "dropped")
    if quiet:
        return Decision(None, state, "quiet")
    return Decision(RECOVERY, State(), "recovered")
