"""python -m loadtest.gc_soak --db URL [--minutes 30] [--users 10]: runner.postScriptGC on against off.

Two console processes on the same database, started together, one with
`--runner.postScriptGC true` and one with `false`; the same number of
think-time users (a KPI page every 10-30 s, protocol client) on each, so both
see the same outside load at the same moments. Prints server CPU per render,
p50/p95 and the RSS of each process every --rss-every seconds, then the
growth over the soak.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from loadtest import protocol
from loadtest.__main__ import burst_user, percentile, think_user
from loadtest.server import COOKIE_KEY, Console
from loadtest.sessions import LOGIN


async def soak(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="gc-soak-"))
    servers = {setting: Console(args.db, workdir / f"gc-{setting}.log",
                                ("--runner.postScriptGC", setting))
               for setting in ("true", "false")}
    try:
        for console in servers.values():
            console.wait_healthy()
        for console in servers.values():
            await protocol.prime(console.url)
        cookie = protocol.mint_cookie(COOKIE_KEY, LOGIN[0], args.db)
        for console in servers.values():  # warm both the same way
            for _ in range(2):
                await burst_user(console.url, cookie, 120)
        await asyncio.sleep(5)
        start = {k: (c.cpu_seconds(), c.rss_mb()) for k, c in servers.items()}
        curve = []
        started = time.monotonic()
        stop_at = started + args.minutes * 60

        async def sample():
            while time.monotonic() < stop_at + 5:
                curve.append((round(time.monotonic() - started),
                              *[round(c.rss_mb()) for c in servers.values()],
                              " ".join(f"{v:.1f}" for v in os.getloadavg())))
                print(f"[soak] {curve[-1]}", file=sys.stderr, flush=True)
                await asyncio.sleep(args.rss_every)

        async def users(console):
            tasks = [think_user(console.url, cookie, stop_at, (10.0, 30.0), 120)
                     for _ in range(args.users)]
            return [v for vs in await asyncio.gather(*tasks) for v in vs]

        sampler = asyncio.create_task(sample())
        views = dict(zip(servers, await asyncio.gather(*(users(c) for c in servers.values()))))
        await asyncio.sleep(5)
        sampler.cancel()
        out = {"minutes": args.minutes, "users_each": args.users, "curve": curve,
               "load_end": " ".join(f"{v:.2f}" for v in os.getloadavg())}
        for setting, console in servers.items():
            vs = views[setting]
            times = [v.seconds for v in vs if v.ok]
            cpu = console.cpu_seconds() - start[setting][0]
            rss = [row[1 if setting == "true" else 2] for row in curve]
            out[setting] = dict(views=len(vs), ok=len(times), cpu_per_view=cpu / max(len(vs), 1),
                                p50=percentile(times, 0.5), p95=percentile(times, 0.95),
                                rss_start=start[setting][1], rss_end=console.rss_mb(),
                                rss_peak=max(rss, default=0),
                                growth=console.rss_mb() - start[setting][1])
        return out
    finally:
        for console in servers.values():
            console.stop()


def report(r: dict) -> str:
    out = [f"{r['minutes']:g} minutes, {r['users_each']} think-time users on each process; "
           f"load average at the end {r['load_end']}", "",
           "| runner.postScriptGC | renders ok | server CPU s per render | p50 s | p95 s | "
           "RSS start / peak / end MB | growth MB |", "|---|---|---|---|---|---|---|"]
    for setting in ("true", "false"):
        s = r[setting]
        out.append(f"| {setting} | {s['ok']}/{s['views']} | {s['cpu_per_view']:.3f} | "
                   f"{s['p50']:.2f} | {s['p95']:.2f} | {s['rss_start']:.0f} / {s['rss_peak']:.0f} / "
                   f"{s['rss_end']:.0f} | {s['growth']:+.0f} |")
    out += ["", "| t s | RSS MB, GC on | RSS MB, GC off | load avg |", "|---|---|---|---|"]
    out += [f"| {t} | {a} | {b} | {load} |" for t, a, b, load in r["curve"]]
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m loadtest.gc_soak", description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--minutes", type=float, default=30.0)
    p.add_argument("--users", type=int, default=10, help="think-time users on each process")
    p.add_argument("--rss-every", type=float, default=60.0)
    p.add_argument("--json", default=None)
    args = p.parse_args(argv)
    result = asyncio.run(soak(args))
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
