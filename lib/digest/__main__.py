"""python -m lib.digest --db URL --role manager [--language zh_CN|en] [--send]

Without --send the message is printed (markdown) and nothing is posted. Exit 0 when
every destination took the message, 1 when one failed (after its retries), 2 on
bad arguments or an unreachable database.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime

from lib.roles import ROLES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.digest")
    parser.add_argument("--db", help="SQLAlchemy URL of the service database (default: configured)")
    parser.add_argument("--role", choices=ROLES, required=True)
    parser.add_argument("--language", choices=("zh_CN", "en"), default="zh_CN")
    parser.add_argument("--send", action="store_true", help="post to the configured destinations")
    parser.add_argument("--as-of", help='"YYYY-MM-DD HH:MM:SS" (default: now)')
    args = parser.parse_args(argv)
    from lib import config
    from lib.db import make_engine
    from lib.db.setup import migrate
    from lib.digest.run import run_digest
    try:
        as_of = datetime.fromisoformat(args.as_of) if args.as_of else None
        engine = make_engine(args.db or config.database_url())
        migrate(engine)
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
    for outcome in outcomes:
        state = "sent" if outcome.ok else f"FAILED ({outcome.detail})"
        print(f"{outcome.destination} [{outcome.channel}]: {state} after {outcome.attempts} attempt(s)",
              file=sys.stderr)
    return 1 if any(not o.ok for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
