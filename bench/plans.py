"""Query plans of the KPI functions: every statement a function runs, with its plan.

    python -m bench.plans --db URL [--view 90d] [--function sla.sla_summary ...]

SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (ANALYZE, BUFFERS). Statements
are caught as the function runs (a cursor event), then explained with the
same parameters.
"""
from __future__ import annotations

import argparse
import sys
import time

from sqlalchemy import event

from bench import floor, library
from bench.views import VIEWS
from lib.db import make_engine


def capture(engine, call, f) -> list[tuple[str, object, float]]:
    statements: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters,
                           time.perf_counter() - conn.info.pop("bench_started")))
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        call(engine, f)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return [s for s in statements if not s[0].lstrip().upper().startswith("PRAGMA")]


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
            print(f"--- {seconds:.3f} s\n{statement.strip()}\n{parameters}")
            print(explain(engine, statement, parameters))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
