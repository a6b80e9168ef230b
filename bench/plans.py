"""Query plans of the KPI functions: every statement a function runs, with its plan.

    python -m bench.plans --db URL [--view 90d] [--function sla.sla_summary ...]

SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (ANALYZE, BUFFERS). Statements
are caught as the function runs (a cursor event), then each is run again on
its own (all rows fetched) for its time, and explained with the same
parameters. Times here are of one run after the function's: warm.
"""
from __future__ import annotations

import argparse
import sys
import time

from sqlalchemy import event

from bench import floor, library
from bench.views import VIEWS
from lib.db import make_engine


def capture(engine, call, f) -> list[tuple[str, object, tuple[float, float]]]:
    """(statement, parameters, (wall, CPU) of executing it and fetching every row).

    Each statement is timed again on its own with all its rows fetched: SQLite
    computes rows while they are fetched, so a cursor event alone would time
    only the first row.
    """
    statements: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", before)
    try:
        call(engine, f)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    timed = []
    for statement, parameters in statements:
        if statement.lstrip().upper().startswith("PRAGMA"):
            continue
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            wall, cpu = time.perf_counter(), time.process_time()
            cursor.execute(statement, parameters)
            cursor.fetchall()
            timed.append((statement, parameters,
                          (time.perf_counter() - wall, time.process_time() - cpu)))
        finally:
            raw.close()
    return timed


def explain(engine, statement: str, parameters) -> str:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            rows = cursor.fetchall()
            depth = {0: 0}
            lines = []
            for node, parent, _, detail in rows:
                depth[node] = depth.get(parent, 0) + 1
                lines.append("  " * depth[node] + detail)
            return "\n".join(lines)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        return "\n".join(r[0] for r in cursor.fetchall())
    finally:
        raw.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.plans")
    p.add_argument("--db", required=True)
    p.add_argument("--view", default="90d", choices=list(VIEWS))
    p.add_argument("--function", action="append", default=[],
                   help="a name from the KPI function table, or floor.<kpi>")
    args = p.parse_args(argv)
    f = VIEWS[args.view]
    engine = make_engine(args.db)
    calls = library.functions(library._engineer_id(engine, VIEWS["90d"]))
    calls.update({f"floor.{k}": v for k, v in floor.SECTIONS.items()})
    calls.update({f"library.{k}": v for k, v in library.SECTIONS.items()})
    for name in args.function or list(calls):
        print(f"=== {name} ({args.view})")
        for statement, parameters, seconds in capture(engine, calls[name], f):
            print(f"--- {seconds[0]:.3f} s wall, {seconds[1]:.3f} s CPU\n{statement.strip()}\n{parameters}")
            print(explain(engine, statement, parameters))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
