"""python -m loadtest --sessions 10,25,50 [--soak-minutes N] [--db URL]

Starts the console itself on a free 127.0.0.1 port, logs in once through the
form, then for each level opens that many concurrent browser sessions, each
rendering every KPI page once with the copied login cookie. Prints a markdown
report (success rate, p50/p95 render time, server CPU and RSS); with
--soak-minutes, keeps sessions opening and closing for that long and then
idles past Streamlit's disconnected-session TTL, sampling RSS throughout.
Exit status 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from loadtest import sessions
from loadtest.server import Console, Sampler
from loadtest.sessions import async_playwright, concurrent, launch, login_cookies, session

TARGET_P95_S = 5.0
TARGET_GROWTH_MB = 100.0
DISCONNECTED_SESSION_TTL_S = 120  # Streamlit's server.disconnectedSessionTTL default


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.platform()}"


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


async def run_levels(console: Console, browser, cookies, levels: list[int]) -> list[dict]:
    rows = []
    for n in levels:
        baseline = console.rss_mb()
        cpu_before = console.cpu_seconds()
        with Sampler(console) as sampler:
            renders, wall = await concurrent(browser, console.url, cookies, n)
            await asyncio.sleep(5)  # let the server finish closing the sessions
        cpu = console.cpu_seconds() - cpu_before
        times = [r.seconds for r in renders if r.ok]
        failures = [f"{r.page}: {r.error}" for r in renders if not r.ok]
        row = dict(sessions=n, renders=len(renders), ok=len(times),
                   success=len(times) / len(renders) if renders else 0.0,
                   p50=percentile(times, 0.5), p95=percentile(times, 0.95),
                   max=max(times, default=float("nan")), wall=wall, cpu_seconds=cpu,
                   cpu_mean_pct=100 * cpu / (wall + 5), cpu_peak_pct=sampler.peak_cpu,
                   rss_before=baseline, rss_peak=sampler.peak_rss, rss_after=console.rss_mb(),
                   load=load_average(), failures=failures[:10],
                   by_page={name: round(percentile([r.seconds for r in renders
                                                    if r.ok and r.page == name], 0.5), 2)
                            for name in dict.fromkeys(r.page for r in renders)})
        rows.append(row)
        print(f"[{n} sessions] {json.dumps(row, default=str)}", file=sys.stderr, flush=True)
    return rows


async def run_soak(console: Console, browser, cookies, minutes: float, parallel: int,
                   settle_seconds: float, every: float = 30.0) -> tuple[list[tuple], dict]:
    """Workers open a session, render every page, close it, pause 0-5 s, repeat."""
    curve: list[tuple] = []
    stop_at = time.monotonic() + minutes * 60
    renders = []
    opened = 0

    async def worker():
        nonlocal opened
        while time.monotonic() < stop_at:
            opened += 1
            renders.extend(await session(browser, console.url, cookies))
            await asyncio.sleep(random.uniform(0, 5))

    async def sample(phase: str, until: float):
        started = time.monotonic()
        while time.monotonic() < until:
            curve.append((round(time.monotonic() - t0), phase, console.rss_mb(), opened,
                          load_average()))
            print(f"[soak] {curve[-1]}", file=sys.stderr, flush=True)
            await asyncio.sleep(min(every, max(0.1, until - time.monotonic())))
        return started

    t0 = time.monotonic()
    await asyncio.gather(sample("soak", stop_at), *(worker() for _ in range(parallel)))
    await sample("idle", time.monotonic() + settle_seconds)
    curve.append((round(time.monotonic() - t0), "idle", console.rss_mb(), opened, load_average()))
    times = [r.seconds for r in renders if r.ok]
    summary = dict(sessions_opened=opened, renders=len(renders), ok=len(times),
                   p50=percentile(times, 0.5), p95=percentile(times, 0.95))
    return curve, summary


def report(levels: list[dict], curve, soak: dict | None, info: dict) -> str:
    out = [f"Machine: {info['machine']}", f"Database: {info['db']}",
           f"Load average before the run: {info['load_before']}",
           f"Server RSS after start and one warm-up session: {info['rss_warm']:.0f} MB", "",
           "| sessions | renders ok | p50 s | p95 s | max s | wall s | server CPU s | "
           "CPU s per render | CPU mean / peak % | RSS before / peak / after MB | growth MB | load avg |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in levels:
        out.append(
            f"| {r['sessions']} | {r['ok']}/{r['renders']} ({100 * r['success']:.0f}%) | "
            f"{r['p50']:.2f} | {r['p95']:.2f} | {r['max']:.2f} | {r['wall']:.0f} | "
            f"{r['cpu_seconds']:.0f} | {r['cpu_seconds'] / max(r['renders'], 1):.2f} | {r['cpu_mean_pct']:.0f} / {r['cpu_peak_pct']:.0f} | "
            f"{r['rss_before']:.0f} / {r['rss_peak']:.0f} / {r['rss_after']:.0f} | "
            f"{r['rss_after'] - info['rss_warm']:+.0f} | {r['load']} |")
        out.append(f"|  | p50 by page: {', '.join(f'{k} {v:.1f} s' for k, v in r['by_page'].items())} |")
        if r["failures"]:
            out.append(f"|  | failures: {'; '.join(r['failures'])} |")
    if soak is not None:
        out += ["", f"Soak: {soak['sessions_opened']} sessions opened and closed, "
                f"{soak['ok']}/{soak['renders']} renders ok, p50 {soak['p50']:.2f} s, "
                f"p95 {soak['p95']:.2f} s", "",
                "| t s | phase | server RSS MB | sessions opened so far | load avg |",
                "|---|---|---|---|---|"]
        out += [f"| {t} | {phase} | {rss:.0f} | {opened} | {load} |"
                for t, phase, rss, opened, load in curve]
    return "\n".join(out)


def verdict(levels: list[dict], info: dict) -> list[str]:
    missed = []
    for r in levels:
        if r["success"] < 1:
            missed.append(f"{r['sessions']} sessions: {r['renders'] - r['ok']} renders failed")
        if r["p95"] > TARGET_P95_S:
            missed.append(f"{r['sessions']} sessions: p95 {r['p95']:.2f} s > {TARGET_P95_S} s")
        if r["rss_after"] - info["rss_warm"] > TARGET_GROWTH_MB:
            missed.append(f"{r['sessions']} sessions: RSS grew "
                          f"{r['rss_after'] - info['rss_warm']:.0f} MB > {TARGET_GROWTH_MB} MB")
    return missed


async def main_async(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    db = args.db
    if db is None:
        from lib.bootstrap import build_demo_database
        db = f"sqlite:///{workdir / 'service.db'}"
        print(f"building a demo database of {args.orders} orders at {db}", file=sys.stderr)
        build_demo_database(db, orders=args.orders, seed=2026)
    info = {"machine": machine(), "db": db, "load_before": load_average()}
    console = Console(db, workdir / "console.log")
    try:
        console.wait_healthy()
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            cookies = await login_cookies(browser, console.url)
            warm = await session(browser, console.url, cookies)  # imports, migrations, caches
            if not all(r.ok for r in warm):
                print(f"warm-up failed: {warm}", file=sys.stderr)
                return 2
            await asyncio.sleep(3)
            info["rss_warm"] = console.rss_mb()
            levels = await run_levels(console, browser, cookies, args.sessions)
            curve, soak = (None, None)
            if args.soak_minutes:
                curve, soak = await run_soak(console, browser, cookies, args.soak_minutes,
                                             args.soak_parallel, args.settle_seconds)
            await browser.close()
    finally:
        console.stop()
    text = report(levels, curve, soak, info)
    missed = verdict(levels, info)
    print(text)
    print("\nTargets (50 sessions all ok, p95 < 5 s, growth < 100 MB): " +
          ("met" if not missed else "MISSED: " + "; ".join(missed)))
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"info": info, "levels": levels, "soak": soak, "curve": curve}, indent=1, default=str))
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", default="10,25,50",
                        type=lambda s: [int(x) for x in s.split(",") if x.strip()])
    parser.add_argument("--soak-minutes", type=float, default=0.0)
    parser.add_argument("--soak-parallel", type=int, default=10,
                        help="sessions open at a time during the soak")
    parser.add_argument("--settle-seconds", type=float, default=DISCONNECTED_SESSION_TTL_S + 60,
                        help="idle time after the soak, sampling RSS")
    parser.add_argument("--db", default=None, help="SQLAlchemy URL of a built demo database "
                        "(default: build one of --orders orders in a temporary directory)")
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--render-timeout", type=float, default=60.0,
                        help="seconds a page may take before its render counts as failed")
    parser.add_argument("--json", default=None, help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    sessions.RENDER_TIMEOUT_MS = int(args.render_timeout * 1000)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
