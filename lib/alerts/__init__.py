"""Alert rules (issue 16): an admin's rule ("24-hour compliance in 宁波 under 90 % over
the last 24 h") evaluated by `python -m lib.digest --alerts`, sent to configured digest
destinations through lib.digest's retry and logged in console_digest_log.

One concern per module:
- `kpis`: the fixed list of KPIs a rule may watch and their figure over a window (the
  SQL is in lib.kpi: `sla_due_since`, `first_time_fix_closed_since`);
- `quiet`: quiet hours (local time, may wrap midnight);
- `decide`: what a rule's new figure means for its state and what to send (pure);
- `rules`: reading rules and their state;
- `state`: the evaluator's claim on a rule's state (the guard against double sends);
- `message`: the alert and recovery texts, in Chinese and English, with a link back;
- `evaluate`: one run over every enabled rule.
Editing rules is a command: lib.commands.alert_rules.
"""
