"""One run of `python -m lib.digest --alerts`: every enabled rule evaluated at as-of,
alerts and recoveries sent to the rule's destinations (lib.digest.run.send_with_retry:
retries with back-off, one failing destination never blocks the others) and logged in
console_digest_log (kind `alert` / `recovery` per destination, one `alert_run` row).

Order per rule: read rule and state (with its seq), compute the figure in the database,
decide (lib.alerts.decide), claim the new state (lib.alerts.state; a run that loses the
claim sends nothing), then send. A message that reached none of its destinations gives
its claim back, so the next run tries it again; one that reached at least one is done
(the log shows which failed). A rule naming a destination that is no longer configured
logs that destination as failed.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from lib.alerts import state as store
from lib.alerts.decide import Decision, decide
from lib.alerts.kpis import Figure, figure, holds
from lib.alerts.message import build
from lib.alerts.quiet import is_quiet
from lib.alerts.rules import AlertRule, enabled_rules
from lib.briefing.settings import BriefingSettings, load_settings as briefing_settings
from lib.digest.run import ATTEMPTS, BACKOFF_S, Destination, Outcome, configured_destinations, log, \
    send_with_retry
from lib.kpi.settings import KpiSettings, load_settings as kpi_settings
from lib.timeutil import now_local


@dataclass
class RuleResult:
    rule_id: int
    name: str
    figure: Figure
    decision: Decision
    sent: str | None = None          # what this run sent (None: nothing, or another run did)
    lost: bool = False               # another run claimed the rule first
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass
class AlertRun:
    run_id: str
    as_of: datetime
    results: list[RuleResult]

    @property
    def outcomes(self) -> list[Outcome]:
        return [o for r in self.results for o in r.outcomes]


def _send(engine, rule: AlertRule, kind: str, fig: Figure, decision: Decision, *, as_of, run_id, language,
          console_url, by_name, attempts, backoff_s, sleep) -> list[Outcome]:
    message = build(rule, kind, fig, as_of=as_of, since=decision.state.firing_since or rule.state.firing_since,
                    language=language, console_url=console_url)
    outcomes = []
    for name in rule.destinations:
        destination = by_name.get(name)
        if destination is None:
            outcome = Outcome(name, "", False, 0, "destination not configured")
        else:
            outcome = send_with_retry(destination, message, attempts=attempts, backoff_s=backoff_s, sleep=sleep)
        outcomes.append(outcome)
        log(engine, run_id=run_id, kind=kind, role="", outcome=_log_detail(rule, outcome))
    return outcomes


def _log_detail(rule: AlertRule, outcome: Outcome) -> Outcome:
    return Outcome(outcome.destination, outcome.channel, outcome.ok, outcome.attempts,
                   f"rule #{rule.id} {rule.name}" + (f": {outcome.detail}" if outcome.detail else ""))


def run_alerts(engine, *, as_of: datetime | None = None, language: str = "zh_CN",
               destinations: list[Destination] | None = None, settings: BriefingSettings | None = None,
               kpi: KpiSettings | None = None, attempts: int = ATTEMPTS, backoff_s: float = BACKOFF_S,
               sleep: Callable[[float], None] = time.sleep) -> AlertRun:
    as_of = (as_of or now_local()).replace(microsecond=0)
    console_url = (settings or briefing_settings()).console_url
    st = kpi or kpi_settings()
    by_name = {d.name: d for d in (destinations if destinations is not None else configured_destinations())}
    run_id = uuid.uuid4().hex
    results = []
    for rule in enabled_rules(engine):
        fig = figure(engine, kpi=rule.kpi, as_of=as_of, window_hours=rule.window_hours,
                     city_id=rule.city_id, brand_id=rule.brand_id, settings=st)
        decision = decide(rule.state, holds(rule.comparison, fig.value, rule.threshold), as_of=as_of,
                          repeat_minutes=rule.repeat_minutes,
                          quiet=is_quiet(as_of, rule.quiet_start, rule.quiet_end))
        result = RuleResult(rule.id, rule.name, fig, decision)
        results.append(result)
        seq = store.claim(engine, rule_id=rule.id, seq=rule.seq, state=decision.state, value=fig.value,
                          as_of=as_of)
        if seq is None:
            result.lost = True
            continue
        if decision.send is None:
            continue
        outcomes = _send(engine, rule, decision.send, fig, decision, as_of=as_of, run_id=run_id,
                         language=language, console_url=console_url, by_name=by_name,
                         attempts=attempts, backoff_s=backoff_s, sleep=sleep)
        result.outcomes = outcomes
        if any(o.ok for o in outcomes):
            result.sent = decision.send
        else:
            store.release(engine, rule_id=rule.id, seq=seq, state=rule.state)
    failed = sum(not o.ok for r in results for o in r.outcomes)
    sent = sum(r.sent is not None for r in results)
    log(engine, run_id=run_id, kind="alert_run", role="", status="failed" if failed else "ok",
        detail=f"rules={len(results)} firing={sum(r.decision.state.firing for r in results)} "
               f"sent={sent} failed={failed}")
    return AlertRun(run_id, as_of, results)
