"""Timing: medians over runs, cold and warm, each figure measured the same way.

- cold: a new engine (`make_engine`) for the call, the console's engine
  `lru_cache` and Streamlit's caches emptied, the engine disposed after. The
  operating system's file cache is not dropped (that needs root and would
  disturb other work on the machine): "cold" is a fresh process-level engine
  and empty application caches, not a cold disk.
- warm: one untimed call on an engine, then the timed calls on that engine.

Beside each wall time the CPU time of the measuring process is kept (for the
snapshot: of the child). On a machine shared with other work the wall time
grows with the load while the CPU time mostly does not; on PostgreSQL the
server's CPU is not in it (the wall time is the figure there).
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from lib.db import make_engine

ROOT = Path(__file__).resolve().parent.parent


def clear_caches() -> None:
    from lib.db.engine import _cached_engine
    _cached_engine.cache_clear()
    if "streamlit" in sys.modules:
        import streamlit as st
        st.cache_data.clear()
        st.cache_resource.clear()


def cold(url: str, call: Callable, f, runs: int) -> tuple[list[float], list[float], object]:
    """(wall times, CPU times of this process, the last result)."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        clear_caches()
        engine = make_engine(url)
        try:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = call(engine, f)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        finally:
            engine.dispose()
    return times, cpu, result


def warm(url: str, call: Callable, f, runs: int) -> tuple[list[float], list[float]]:
    engine = make_engine(url)
    try:
        call(engine, f)
        times, cpu = [], []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            call(engine, f)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        return times, cpu
    finally:
        engine.dispose()


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def snapshot(url: str, f, runs: int) -> dict:
    """`python -m lib.report` as a whole process, each run through `bench.rss`."""
    walls, cpus, peaks, output = [], [], [], None
    command = [sys.executable, "-m", "bench.rss", "--", sys.executable, "-m", "lib.report",
               "--db", url, "--start", f.start.isoformat(), "--end", f.end.isoformat(),
               "--as-of", f.as_of.strftime("%Y-%m-%d %H:%M:%S")]
    for _ in range(runs):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        stats = json.loads(done.stderr.strip().splitlines()[-1])
        if stats["returncode"] != 0:
            raise RuntimeError(f"lib.report failed: {done.stderr[-2000:]}")
        walls.append(stats["wall_s"])
        cpus.append(stats["cpu_s"])
        peaks.append(stats["peak_rss_mb"])
        output = json.loads(done.stdout)
    return {"wall": walls, "cpu": cpus, "peak_rss_mb": peaks, "output": output}


def pages(url: str, view: str, runs: int) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.pages", "--db", url, "--view", view,
                           "--runs", str(runs)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise RuntimeError(f"bench.pages failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout)


def self_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import sqlalchemy
    import sqlite3
    import pandas
    return {"nproc": os.cpu_count(), "ram_gb": round(ram_gb, 1), "cpu": cpu,
            "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version,
            "sqlalchemy": sqlalchemy.__version__, "pandas": pandas.__version__}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def git_state() -> dict:
    """The commit measured, and files of lib/ changed in the working tree (measured as is)."""
    def git(*args):
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "dirty": [line[3:] for line in git("status", "--porcelain", "lib").splitlines()]}
