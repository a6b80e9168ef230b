"""python -m lib.digest --db URL --role manager [--language zh_CN|en] [--send]
python -m lib.digest --db URL --alerts [--language zh_CN|en] [--as-of "YYYY-MM-DD HH:MM:SS"]

Digest: without --send the message is printed (markdown) and nothing is posted.

Alerts (--alerts, no --role): every enabled alert rule is evaluated at as-of (default:
now) and its alerts and recoveries are sent to the rule's destinations (lib.alerts);
one line per rule on standard output (its figure and what was decided), one line per
send on standard error.

Exit 0 when every destination took its message (or nothing was due), 1 when one failed
(after its retries), 2 on bad arguments or an unreachable database.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime

from lib.roles import ROLES


def _print_outcomes(outcomes) -> None:
    for outcome in outcomes:
        state = "sent" if outcome.ok else f"FAILED ({outcome.detail})"
        print(f"{outcome.destination} [{outcome.channel}]: {state} after {outcome.attempts} attempt(s)",
              file=sys.stderr)


def _alerts(engine, args, as_of) -> int:
    from lib.alerts.evaluate import run_alerts
    run = run_alerts(engine, as_of=as_of, language=args.language)
    for result in run.results:
        done = "lost to another run" if result.lost else (result.sent or "nothing sent")
        value = "no data" if result.figure.value is None else f"{result.figure.value:.4g}"
        print(f"rule #{result.rule_id} {result.name}: {value} over {result.figure.basis}, "
              f"{result.decision.why}, {done}")
    _print_outcomes(run.outcomes)
    return 1 if any(not o.ok for o in run.outcomes) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.digest")
    parser.add_argument("--db", help="SQLAlchemy URL of the service database (default: configured)")
    parser.add_argument("--role", choices=ROLES, help="whose briefing (required without --alerts)")
    parser.add_argument("--alerts", action="store_true", help="evaluate the alert rules and send what is due")
    parser.add_argument("--language", choices=("zh_CN", "en"), default="zh_CN")
    parser.add_argument("--send", action="store_true", help="post the digest to the configured destinations")
    parser.add_argument("--as-of", help='"YYYY-MM-DD HH:MM:SS" (default: now)')
    args = parser.parse_args(argv)
    if args.alerts == bool(args.role):
        parser.error("give either --role (a digest) or --alerts")
    from lib import config
    from lib.db import make_engine
    from lib.db.setup import migrate
    from lib.digest.run import run_digest
    try:
        as_of = datetime.fromisoformat(args.as_of) if args.as_of else None
        engine = make_engine(args.db or config.database_url())
        migrate(engine)
        if args.alerts:
            return _alerts(engine, args, as_of)
        message, outcomes = run_digest(engine, role=args.role, send=args.send, language=args.language,
                                       as_of=as_of)
    except (ValueError, OSError) as error:
        print(f"digest: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        from lib.db.engine import is_unavailable
        if not is_unavailable(error):
            raise
        print("digest: the database cannot be reached", file=sys.stderr)
        return 2
    if not args.send:
        print(f"# {message.title}\n\n{message.markdown}")
    _print_outcomes(outcomes)
    return 1 if any(not o.ok for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
