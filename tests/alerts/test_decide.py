"""Quiet hours and the state machine of one rule, without a database."""
from datetime import datetime, time, timedelta

import pytest

from lib.alerts.decide import ALERT, RECOVERY, State, decide
from lib.alerts.quiet import is_quiet

T = datetime(2026, 3, 10, 12, 0, 0)


@pytest.mark.parametrize("clock,quiet", [
    ((21, 59, 59), False), ((22, 0, 0), True), ((23, 59, 59), True), ((0, 0, 0), True), ((6, 59, 59), True),
    ((7, 0, 0), False), ((12, 0, 0), False)])
def test_quiet_hours_that_wrap_midnight(clock, quiet):
    assert is_quiet(T.replace(hour=clock[0], minute=clock[1], second=clock[2]), time(22), time(7)) is quiet


@pytest.mark.parametrize("clock,quiet", [((11, 59), False), ((12, 0), True), ((12, 59), True), ((13, 0), False)])
def test_quiet_hours_within_a_day(clock, quiet):
    assert is_quiet(T.replace(hour=clock[0], minute=clock[1]), time(12), time(13)) is quiet


def test_no_quiet_hours():
    assert not is_quiet(T, None, None) and not is_quiet(T, time(1), None)


def step(state, holds, minutes=0, quiet=False, repeat=60):
    return decide(state, holds, as_of=T + timedelta(minutes=minutes), repeat_minutes=repeat, quiet=quiet)


def test_true_alerts_once_then_only_after_the_repeat_interval_then_recovers_once():
    first = step(State(), True)
    assert (first.send, first.why, first.state) == (ALERT, "new", State(True, T, T))
    assert step(first.state, True, 59).send is None
    again = step(first.state, True, 60)
    assert (again.send, again.why, again.state.last_sent_at) == (ALERT, "repeat", T + timedelta(minutes=60))
    assert again.state.firing_since == T
    recovered = step(again.state, False, 61)
    assert (recovered.send, recovered.state) == (RECOVERY, State())
    assert step(recovered.state, False, 62).send is None


def test_an_alert_that_fires_in_quiet_hours_is_held_and_sent_when_they_end_if_still_true():
    held = step(State(), True, quiet=True)
    assert (held.send, held.why, held.state) == (None, "held", State(True, T, None))
    assert step(held.state, True, 30, quiet=True).send is None
    sent = step(held.state, True, 60)
    assert (sent.send, sent.why, sent.state) == (ALERT, "new", State(True, T, T + timedelta(minutes=60)))


def test_a_held_alert_that_turns_false_is_dropped_without_a_recovery():
    held = step(State(), True, quiet=True)
    dropped = step(held.state, False, 10, quiet=True)
    assert (dropped.send, dropped.why, dropped.state) == (None, "dropped", State())


def test_a_recovery_due_in_quiet_hours_waits_for_their_end():
    firing = State(True, T, T)
    waiting = step(firing, False, 10, quiet=True)
    assert (waiting.send, waiting.state) == (None, firing)
    assert step(waiting.state, False, 20).send == RECOVERY


def test_no_figure_changes_nothing():
    firing = State(True, T, T)
    assert step(firing, None, 600).send is None and step(firing, None, 600).state == firing
