"""Build a demo service database: python -m lib.demo --orders N --seed S --db URL

Deterministic for (orders, seed, end). Prints the time taken and the peak
memory, the figures the README quotes.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date

from tqdm import tqdm

from lib.bootstrap import DEMO_ORDERS, DEMO_SEED, build_demo_database
from lib.config import DEMO_DB_URL


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
    args = parser.parse_args(argv)
    bars = _Bars()
    started = time.perf_counter()
    summary = build_demo_database(args.db, orders=args.orders, seed=args.seed, end=args.end,
                                  progress=bars)
    bars.close()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"built {summary} in {seconds:.1f} s, peak memory {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
