"""Build a demo service database: python -m lib.demo --orders N --seed S --db URL

Deterministic for (orders, seed, end). Prints the time taken and the peak
memory, the figures the README quotes.

    python -m lib.demo --ensure   the console's own demo (data/service.db), built if missing
    python -m lib.demo --reset    the same, thrown away and built anew

The README's start command runs `--ensure` before `streamlit run`, so the demo
is built, with its progress in the terminal, before the server takes sessions.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date

from tqdm import tqdm

from lib.bootstrap import (DEMO_ORDERS, DEMO_SEED, build_demo_database, ensure_demo_database,
                           remove_demo_database)
from lib import config
from lib.config import DEMO_DB_PATH, DEMO_DB_URL


class _Bars:
    """One tqdm bar per build step, fed by the builder's progress callback."""

    def __init__(self):
        self.bar = None
        self.step = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self.step:
            self.close()
            self.step = step
            self.bar = tqdm(total=total, desc=step, unit="rows", file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=DEMO_ORDERS)
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--db", default=DEMO_DB_URL, help="SQLAlchemy URL of an EMPTY database")
    parser.add_argument("--end", type=date.fromisoformat, default=None,
                        help="last day of data, YYYY-MM-DD (default: today in Beijing)")
    own_demo = parser.add_mutually_exclusive_group()
    own_demo.add_argument("--ensure", action="store_true",
                          help=f"build the console's demo database ({DEMO_DB_PATH}) if it is missing")
    own_demo.add_argument("--reset", action="store_true",
                          help=f"delete the console's demo database ({DEMO_DB_PATH}) and build it anew")
    args = parser.parse_args(argv)
    if args.ensure or args.reset:
        return _own_demo(reset=args.reset)
    bars = _Bars()
    started = time.perf_counter()
    summary = build_demo_database(args.db, orders=args.orders, seed=args.seed, end=args.end,
                                  progress=bars)
    bars.close()
    _report(f"built {summary}", started)
    return 0


def _own_demo(*, reset: bool) -> int:
    if not config.is_demo():
        print("the console is configured for another database (SERVICE_DB_URL or secrets.toml): "
              "no demo to build", file=sys.stderr)
        return 0 if not reset else 2
    if reset:
        remove_demo_database()
        print(f"removed {DEMO_DB_PATH}", file=sys.stderr)
    if DEMO_DB_PATH.exists():
        print(f"the demo database is ready: {DEMO_DB_PATH}", file=sys.stderr)
        return 0
    print(f"building the demo database ({DEMO_ORDERS:,} orders) into {DEMO_DB_PATH} ...",
          file=sys.stderr)
    bars = _Bars()
    started = time.perf_counter()
    ensure_demo_database(bars)
    bars.close()
    _report(f"built {DEMO_DB_PATH}", started)
    return 0


def _report(what: str, started: float) -> None:
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{what} in {seconds:.1f} s, peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
