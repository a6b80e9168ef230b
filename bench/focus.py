"""python -m bench.focus: issue 19's three parts measured in one run, at 1,000,000 orders.

    python -m bench.focus [--orders 1000000] [--backends sqlite,postgresql] [--runs 3]
                          [--server-views 8]

0. Server CPU per warm full page load of the 5 KPI pages (`bench/server_cpu.py`: a
   real console on a demo of as many orders whose data ends today, the protocol
   client of `python -m loadtest`), with a py-spy profile of where it went; target:
   at most 0.10 s per page.
1. Retention, library against the floor (`bench/floor.py`, hand-written, one pass for
   all cohorts), both backends, both views; target: at most 1.5x the floor.
2. The whole snapshot (the report's five sections, in process, cold) against the five
   floor sections, SQLite; target: whole history at most 2x the floor.
3. SQLite's page cache and memory map (`lib/db/engine.py`): the whole-history snapshot
   as a process with SQLite's defaults (2 MB cache, no map) and with the console's.
4. The analytical path (`bench/analytical.py`): the five sections by DuckDB over the
   SQLite file read in place and over a Parquet copy, against the SQL path (the
   library); target for keeping it: at least 5x faster on the whole history with
   identical figures.

Results: `docs/benchmarks-focus.json`; the section is rendered into docs/benchmarks.md
(`bench.render` includes it) and printed.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from bench import analytical, datasets, floor, library, measure, server_cpu
from bench.run import canonical, log
from bench.views import VIEWS

ROOT = Path(__file__).resolve().parent.parent
JSON = ROOT / "docs" / "benchmarks-focus.json"
RETENTION_RATIO = 1.5
SNAPSHOT_RATIO = 2.0
ANALYTICAL_SPEEDUP = 5.0


def _timed(call, runs):
    """(wall list, CPU list, user list, sys list, last result): each run cold."""
    walls, cpus, users, syss, result = [], [], [], [], None
    for _ in range(runs):
        measure.clear_caches()
        a, t = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        result = call()
        b = resource.getrusage(resource.RUSAGE_SELF)
        walls.append(time.perf_counter() - t)
        users.append(b.ru_utime - a.ru_utime)
        syss.append(b.ru_stime - a.ru_stime)
        cpus.append(users[-1] + syss[-1])
    return walls, cpus, users, syss, result


def _on_engine(url, fn):
    def call():
        engine = measure.make_engine(url)
        try:
            return fn(engine)
        finally:
            engine.dispose()
    return call


def _sections(sections, f):
    return lambda bind: {k: fn(bind, f) for k, fn in sections.items()}


def _entry(walls, cpus, users, syss):
    return {"wall": walls, "cpu": cpus, "user": users, "sys": syss}


def measure_all(orders: int, backends: list[str], runs: int, server_views: int) -> dict:
    out = {"orders": orders, "runs": runs, "load_start": measure.load_average(),
           "git": measure.git_state(), "machine": measure.machine(),
           "retention": {}, "snapshot": {}, "sqlite_memory": {}, "analytical": {}}
    if server_views:
        db = datasets.console_url(orders)
        out["server_cpu"] = {"db_label": f"SQLite, {orders:,} orders (data up to today)",
                             **server_cpu.run(db, views=server_views, profile_views=4)}
        log("server CPU per warm page load: " + ", ".join(
            f"{page} {statistics.median(v):.3f} s" for page, v in out["server_cpu"]["cpu"].items()))
    for backend in backends:
        url = datasets.database_url(backend, orders)
        for view, f in VIEWS.items():
            row = {"load_before": measure.load_average()}
            texts = {}
            for way, sections in (("library", library.SECTIONS), ("floor", floor.SECTIONS)):
                *times, result = _timed(_on_engine(url, lambda b: sections["retention"](b, f)), runs)
                row[way] = _entry(*times)
                texts[way] = canonical(result)
            row["agree"] = len(set(texts.values())) == 1
            row["load_after"] = measure.load_average()
            out["retention"][f"{backend} {view}"] = row
            log(f"retention {backend} {view}: library {statistics.median(row['library']['wall']):.2f} s"
                f" floor {statistics.median(row['floor']['wall']):.2f} s agree={row['agree']}")
        if backend != "sqlite":
            continue
        parquet = datasets.DATA_DIR / f"{datasets.key(orders)}.parquet"
        out["analytical"]["export"] = analytical.export(url, parquet)
        for view, f in VIEWS.items():
            row = {"load_before": measure.load_average()}
            *times, lib_result = _timed(_on_engine(url, _sections(library.SECTIONS, f)), runs)
            row["library"] = _entry(*times)
            *times, floor_result = _timed(_on_engine(url, _sections(floor.SECTIONS, f)), runs)
            row["floor"] = _entry(*times)
            row["agree"] = canonical(lib_result) == canonical(floor_result)
            out["snapshot"][f"{backend} {view}"] = row
            log(f"snapshot {backend} {view}: library {statistics.median(row['library']['cpu']):.2f} s CPU"
                f" floor {statistics.median(row['floor']['cpu']):.2f} agree={row['agree']}")
            duck = {"load_before": measure.load_average(), "sql": row["library"]}
            for where, directory in (("scan", None), ("parquet", parquet)):
                def call(directory=directory):
                    bind = analytical.connect(url, parquet_dir=directory)
                    try:
                        return {k: fn(bind, f) for k, fn in floor.SECTIONS.items()}
                    finally:
                        bind.connection.close()
                *times, result = _timed(call, runs)
                duck[where] = _entry(*times)
                duck[f"{where}_agree"] = canonical(result) == canonical(lib_result)
                log(f"analytical {view} {where}: {statistics.median(duck[where]['wall']):.2f} s "
                    f"agree={duck[where + '_agree']}")

            def on_duckdb():
                engine = analytical.library_engine(parquet)
                try:
                    return {k: fn(engine, f) for k, fn in library.SECTIONS.items()}
                finally:
                    engine.dispose()
            *times, result = _timed(on_duckdb, runs)
            duck["library_parquet"] = _entry(*times)
            duck["library_parquet_agree"] = canonical(result) == canonical(lib_result)
            log(f"analytical {view} lib.kpi on DuckDB: {statistics.median(duck['library_parquet']['wall']):.2f} s "
                f"agree={duck['library_parquet_agree']}")
            out["analytical"][view] = duck
        for label, env in (("32 MiB cache, 256 MiB map",
                            {"CONSOLE_SQLITE_CACHE_MIB": "32", "CONSOLE_SQLITE_MMAP_MIB": "256"}),
                           ("console settings", {})):
            saved = {k: os.environ.pop(k, None) for k in ("CONSOLE_SQLITE_CACHE_MIB",
                                                          "CONSOLE_SQLITE_MMAP_MIB")}
            os.environ.update(env)
            try:
                snap = measure.snapshot(url, VIEWS["all"], runs)
            finally:
                for k, v in saved.items():
                    os.environ.pop(k, None)
                    if v is not None:
                        os.environ[k] = v
            snap.pop("output")
            snap["load"] = measure.load_average()
            out["sqlite_memory"][label] = snap
            log(f"sqlite memory {label}: cpu {statistics.median(snap['cpu']):.2f} "
                f"peak {max(snap['peak_rss_mb']):.0f} MB")
    out["load_end"] = measure.load_average()
    out["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    return out


def _md(values):
    return statistics.median(values) if values else None


def _ok(good) -> str:
    return "✅" if good else "❌"


def markdown(r: dict) -> str:
    from lib.db.engine import SQLITE_CACHE_MIB, SQLITE_MMAP_MIB
    quiet = float(r["load_start"].split()[0]) < 1.5 and float(r["load_end"].split()[0]) < 1.5
    out = ["## Issue 19 in one run: server CPU per warm render, retention against a real floor, "
           "the analytical path", "",
           f"From one run of `python -m bench.focus` ({r['orders']:,} orders, {r['runs']} cold "
           f"runs per figure, median shown; commit {r['git'].get('commit')}"
           + (f", uncommitted changes in {', '.join(r['git']['dirty'])}" if r['git'].get('dirty') else "")
           + f"), finished {r['finished_at']}. Load average (1, 5, 15 min) at the start "
           f"{r['load_start']}, at the end {r['load_end']}: "
           + ("nothing else ran on the machine (2 cores)." if quiet else
              "**the machine (2 cores) was shared with other work**, so wall times are inflated.")
           + " On SQLite the CPU column is all the work; on PostgreSQL only the wall time "
           "counts (the server's CPU is not in the client's).", ""]
    if r.get("server_cpu"):
        out += ["### Server CPU per warm full page load", "",
                "A real console process (`.streamlit/config.toml` as shipped) on a demo of "
                f"{r['orders']:,} orders whose data ends today; each KPI page opened as a "
                "browser's full page load by the protocol client of `python -m loadtest` "
                "(HTML, health, host-config, WebSocket, one script run), the server's CPU "
                "(user + system, 10 ms ticks) read around each view; median per page. Target: "
                f"**at most {server_cpu.TARGET_S:.2f} s per page**. Before/after figures of "
                "earlier changes: the section below the findings.", ""]
        out += server_cpu.table({"this run": r["server_cpu"]}) + [""]
    out += ["### Retention: library against the floor", "",
            "The floor (`bench/floor.py`) is hand-written SQL apart from `lib.kpi`: one "
            "statement for all cohorts (members by cohort and leaving month; each member's "
            "orders of its first twelve months through the joined-at and member/created "
            "indexes, `count(DISTINCT member)` per cohort and month). The library does the "
            f"same in two portable statements. Target: at most {RETENTION_RATIO:g}× the floor.", "",
            "| backend / view | library wall (CPU) | floor wall (CPU) | × floor (wall) | × floor (CPU) | agree | load before | |",
            "|---|---:|---:|---:|---:|---|---|---|"]
    for key, row in r["retention"].items():
        lw, fw = _md(row["library"]["wall"]), _md(row["floor"]["wall"])
        lc, fc = _md(row["library"]["cpu"]), _md(row["floor"]["cpu"])
        counts = "wall" if not key.startswith("sqlite") else "cpu"
        ratio = (lw / fw) if counts == "wall" else (lc / fc)
        out.append(f"| {key} | {lw:.3f} ({lc:.3f}) | {fw:.3f} ({fc:.3f}) | {lw / fw:.2f} | "
                   f"{lc / fc:.2f} | {'yes' if row['agree'] else 'NO'} | {row['load_before']} | "
                   f"{_ok(ratio <= RETENTION_RATIO and row['agree'])} |")
    out += ["", "On SQLite the verdict is on CPU (wall time follows the machine's load); on "
            "PostgreSQL on wall time.", "",
            "### Whole snapshot against the floor (SQLite, in process, cold)", "",
            "The report's five sections (`lib.report.SECTIONS`) against the five floor "
            f"sections. Target: the whole history at most {SNAPSHOT_RATIO:g}× the floor.", "",
            "| view | library wall (CPU) | floor wall (CPU) | × floor (CPU) | agree | |",
            "|---|---:|---:|---:|---|---|"]
    for key, row in r["snapshot"].items():
        lc, fc = _md(row["library"]["cpu"]), _md(row["floor"]["cpu"])
        good = lc / fc <= SNAPSHOT_RATIO and row["agree"]
        out.append(f"| {key} | {_md(row['library']['wall']):.2f} ({lc:.2f}) | "
                   f"{_md(row['floor']['wall']):.2f} ({fc:.2f}) | {lc / fc:.2f} | "
                   f"{'yes' if row['agree'] else 'NO'} | {_ok(good) if key.endswith('all') else '–'} |")
    out += ["", "### SQLite page cache and memory map", "",
            f"Every SQLite connection of the console sets `cache_size` to {SQLITE_CACHE_MIB} MiB "
            f"and `mmap_size` to {SQLITE_MMAP_MIB} MiB, SQLite's own defaults (`lib/db/engine.py`; "
            "`CONSOLE_SQLITE_CACHE_MIB` / `CONSOLE_SQLITE_MMAP_MIB` override them). The "
            "whole-history snapshot as a process (`python -m lib.report`, interpreter start "
            "included), with a larger cache and a memory map and with these:", "",
            "| settings | wall | CPU | peak RSS (MB) |", "|---|---:|---:|---:|"]
    for label, snap in r["sqlite_memory"].items():
        out.append(f"| {label} | {_md(snap['wall']):.2f} | {_md(snap['cpu']):.2f} | "
                   f"{max(snap['peak_rss_mb']):.0f} |")
    a = r["analytical"]
    if a:
        e = a.get("export", {})
        out += ["", "### The analytical path: DuckDB against the SQL path (SQLite)", "",
                "DuckDB 1.5.5 with the PyPI extension packages (loaded from the package "
                "files, nothing downloaded), three ways: the floor's statements over the service "
                "database read in place (sqlite scanner, read-only) and over a Parquet copy "
                f"of the seven tables (export: {e.get('wall', 0):.1f} s wall, "
                f"{e.get('cpu', 0):.1f} s CPU, {e.get('mb', 0):.0f} MB), and `lib.kpi` itself on a "
                "DuckDB engine (`duckdb-engine`) over that copy, the path a product would ship "
                "(`bench/analytical.py`). SQL path: `lib.kpi` on the SQLite service database. "
                f"Target for keeping it: `lib.kpi` on DuckDB at least {ANALYTICAL_SPEEDUP:g}× faster "
                "by CPU on the whole history, identical figures.", "",
                "| view | way | wall (CPU) | × faster by CPU | × faster by wall | figures identical | |",
                "|---|---|---:|---:|---:|---|---|"]
        ways = (("sql", "SQL path: lib.kpi on SQLite"), ("scan", "floor statements, DuckDB, SQLite in place"),
                ("parquet", "floor statements, DuckDB, Parquet copy"),
                ("library_parquet", "**lib.kpi on DuckDB, Parquet copy**"))
        for view in ("90d", "all"):
            d = a.get(view)
            if not d:
                continue
            sw, sc = _md(d["sql"]["wall"]), _md(d["sql"]["cpu"])
            for way, label in ways:
                if way not in d:
                    continue
                w, c = _md(d[way]["wall"]), _md(d[way]["cpu"])
                same = True if way == "sql" else d[f"{way}_agree"]
                verdict = (_ok(sc / c >= ANALYTICAL_SPEEDUP and same)
                           if way == "library_parquet" and view == "all" else "–")
                out.append(f"| {view} | {label} | {w:.2f} ({c:.2f}) | {sc / c:.1f} | {sw / w:.1f} | "
                           f"{'yes' if same else 'NO'} | {verdict} |")
        out += ["", "CPU: DuckDB's over all its threads (2); wall: what one user waits."]
    notes = Path(__file__).with_name("focus.md")
    if notes.exists():
        out += ["", notes.read_text().strip()]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.focus")
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--backends", default="sqlite,postgresql")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--server-views", type=int, default=8,
                   help="warm views per KPI page for the server CPU (0: skip it)")
    p.add_argument("--render-only", action="store_true")
    args = p.parse_args(argv)
    if not args.render_only:
        results = measure_all(args.orders, [b for b in args.backends.split(",") if b], args.runs,
                              args.server_views)
        JSON.write_text(json.dumps(results, indent=1))
    print(markdown(json.loads(JSON.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
