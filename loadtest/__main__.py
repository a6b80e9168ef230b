"""python -m loadtest [--levels 10,25,50,100] [--scenarios burst,think] [--processes K] [--db URL]

Starts K console processes itself (K > 1: behind Debian's nginx with the
shipped config, deploy/nginx/service-console.conf), signs in once through the
real login form in chromium, then drives the server with a protocol-level
client (loadtest/protocol.py: Streamlit's own WebSocket protocol, no browser):

- warm renders: each KPI page viewed alone, server CPU read around each view;
- check: each KPI page once in the real browser and once by the protocol
  client, elements and server CPU side by side (both must make the server do
  the same work);
- burst: N users at the same moment, each opening the 5 KPI pages in turn;
- think: N users for --minutes, each opening the next KPI page every 10-30 s.

Prints a markdown report with the targets of issue #13 marked and exits 1
when a target is missed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from loadtest import protocol
from loadtest.server import COOKIE_KEY, Fleet, Sampler, cpu_pressure_total_us
from loadtest.sessions import KPI_PAGES, LOGIN

WARM_CPU_TARGET_S = 0.10      # server CPU per warm render, 5 KPI pages, 200,000 orders
THINK_P95_TARGET_S = 2.0      # 50 users with think time, every render ok, growth < 100 MB
BURST_P95_TARGET_S = 10.0     # 50 users at once, with 2 processes
GROWTH_TARGET_MB = 100.0
TARGET_USERS = 50


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


async def settle(fleet: Fleet, quiet_cpu_s: float = 0.02, step: float = 0.3,
                 limit: float = 5.0) -> None:
    """Wait until the servers' CPU stops moving (post-run work such as GC is counted)."""
    deadline = time.monotonic() + limit
    last = fleet.cpu_seconds()
    while time.monotonic() < deadline:
        await asyncio.sleep(step)
        now = fleet.cpu_seconds()
        if now - last < quiet_cpu_s:
            return
        last = now


# --- warm renders and the browser check -------------------------------------------------

async def warm_renders(fleet: Fleet, cookie: str, repeats: int, timeout: float) -> list[dict]:
    """Each KPI page viewed alone `repeats` times on the first process; server CPU per view."""
    console = fleet.consoles[0]
    rows = []
    for page in KPI_PAGES:
        cpus, views = [], []
        for _ in range(repeats):
            await settle(fleet)
            before = console.cpu_seconds()
            v = await protocol.view(console.url, page, cookie, timeout=timeout)
            await settle(fleet)
            cpus.append(console.cpu_seconds() - before)
            views.append(v)
        rows.append(dict(page=page, cpu_median=statistics.median(cpus), cpu_min=min(cpus),
                         seconds_median=statistics.median(v.seconds for v in views),
                         runs=views[-1].runs, elements=views[-1].element_count,
                         ok=all(v.ok for v in views),
                         errors=sorted({v.error for v in views if v.error})))
    return rows


async def login_cookie_via_form(url: str, timeout: float) -> tuple[str, object, object]:
    """Sign in once through the real form; the login cookie as a Cookie header value."""
    from loadtest.sessions import async_playwright, launch, login_cookies
    manager = async_playwright()
    playwright = await manager.__aenter__()
    browser = await launch(playwright)
    cookies = await login_cookies(browser, url)
    login = next(c for c in cookies if c["name"] == "service_console_auth")
    return f"{login['name']}={login['value']}", (manager, browser), cookies


async def browser_check(fleet: Fleet, browser, cookies, cookie: str, timeout: float) -> list[dict]:
    """Each KPI page rendered once in chromium and once by the protocol client, on one process."""
    from loadtest.sessions import CHART, DEFAULT_CHART, IDLE, VIEWPORT
    console = fleet.consoles[0]
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US")
    await context.add_cookies([{**c, "domain": "127.0.0.1"} for c in cookies])
    page = await context.new_page()
    seen = {"runs": 0, "requests": 0}

    def on_frame(payload):
        if isinstance(payload, (bytes, bytearray)):
            from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
            msg = ForwardMsg()
            try:
                msg.ParseFromString(bytes(payload))
            except Exception:
                return
            seen["runs"] += msg.WhichOneof("type") == "new_session"

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    page.on("request", lambda request: seen.__setitem__("requests", seen["requests"] + 1))
    rows = []
    try:
        await page.goto(f"{console.url}/?lang=en")  # the front-end's bundles into the cache
        await page.wait_for_selector(IDLE, timeout=timeout * 1000)
        for name in KPI_PAGES:
            await settle(fleet)
            seen.update(runs=0, requests=0)
            before = console.cpu_seconds()
            started = time.perf_counter()
            await page.goto(f"{console.url}/{name}?lang=en", timeout=timeout * 1000)
            await page.locator(CHART.get(name, DEFAULT_CHART)).first.wait_for(timeout=timeout * 1000)
            await page.wait_for_selector(IDLE, timeout=timeout * 1000)
            seconds = time.perf_counter() - started
            await settle(fleet)
            browser_cpu = console.cpu_seconds() - before
            dom = await page.locator('[data-testid="stElementContainer"]').count()
            before = console.cpu_seconds()
            v = await protocol.view(console.url, name, cookie, timeout=timeout)
            await settle(fleet)
            rows.append(dict(page=name, browser_elements=dom, protocol_elements=v.element_count,
                             protocol_runs=v.runs, browser_runs=seen["runs"],
                             browser_requests=seen["requests"], browser_cpu=browser_cpu,
                             protocol_cpu=console.cpu_seconds() - before,
                             browser_seconds=seconds, protocol_seconds=v.seconds, ok=v.ok))
    finally:
        await context.close()
    return rows


# --- scenarios ----------------------------------------------------------------------------

async def burst_user(url: str, cookie: str, timeout: float) -> list[protocol.View]:
    jar: dict[str, str] = {}
    return [await protocol.view(url, page, cookie, timeout=timeout, jar=jar) for page in KPI_PAGES]


async def think_user(url: str, cookie: str, stop_at: float, think: tuple[float, float],
                     timeout: float) -> list[protocol.View]:
    jar: dict[str, str] = {}
    views = []
    index = random.randrange(len(KPI_PAGES))
    await asyncio.sleep(random.uniform(0, think[1]))  # users arrive spread out, not as a burst
    while time.monotonic() < stop_at:
        views.append(await protocol.view(url, KPI_PAGES[index % len(KPI_PAGES)], cookie,
                                         timeout=timeout, jar=jar))
        index += 1
        await asyncio.sleep(random.uniform(*think))
    return views


async def run_level(fleet: Fleet, cookie: str, scenario: str, users: int, args,
                    rss_warm: float) -> dict:
    rss_before, cpu_before = fleet.rss_mb(), fleet.cpu_seconds()
    client_before, pressure_before = time.process_time(), cpu_pressure_total_us()
    started = time.monotonic()
    curve = []

    async def sample_rss():
        while True:
            curve.append((round(time.monotonic() - started), round(fleet.rss_mb())))
            await asyncio.sleep(args.rss_every)

    with Sampler(fleet) as sampler:
        sampler_task = asyncio.create_task(sample_rss())
        if scenario == "burst":
            tasks = [burst_user(fleet.url, cookie, args.render_timeout) for _ in range(users)]
        else:
            stop_at = time.monotonic() + args.minutes * 60
            tasks = [think_user(fleet.url, cookie, stop_at, tuple(args.think), args.render_timeout)
                     for _ in range(users)]
        views = [v for vs in await asyncio.gather(*tasks) for v in vs]
        wall = time.monotonic() - started
        await settle(fleet, limit=10)
        sampler_task.cancel()
    elapsed = time.monotonic() - started
    cpu = fleet.cpu_seconds() - cpu_before
    client = time.process_time() - client_before
    pressure_after = cpu_pressure_total_us()
    pressure = (None if pressure_before is None or pressure_after is None
                else 100 * (pressure_after - pressure_before) / 1e6 / elapsed)
    times = [v.seconds for v in views if v.ok]
    rss_after = fleet.rss_mb()
    row = dict(scenario=scenario, users=users, processes=len(fleet.consoles), views=len(views),
               ok=len(times), p50=percentile(times, 0.5), p95=percentile(times, 0.95),
               max=max(times, default=float("nan")), wall=wall, server_cpu=cpu,
               cpu_per_view=cpu / max(len(views), 1), client_cpu_per_view=client / max(len(views), 1),
               server_cpu_mean_pct=100 * cpu / elapsed, server_cpu_peak_pct=sampler.peak_cpu,
               rss_before=rss_before, rss_peak=sampler.peak_rss, rss_after=rss_after,
               growth=rss_after - rss_warm, cpu_pressure_pct=pressure, load=load_average(),
               failures=sorted({f"{v.page}: {v.error}" for v in views if not v.ok})[:10],
               runs_per_view=sum(v.runs for v in views) / max(len(views), 1), rss_curve=curve,
               p50_by_page={p: round(percentile([v.seconds for v in views
                                                  if v.ok and v.page == p], 0.5), 2)
                            for p in KPI_PAGES})
    row["targets"] = level_targets(row)
    return row


def level_targets(row: dict) -> list[tuple[str, bool | None]]:
    """(target, met?) for this level; None: the target is for another configuration."""
    if row["users"] != TARGET_USERS:
        return []
    all_ok = row["ok"] == row["views"]
    if row["scenario"] == "think":
        return [("every render ok", all_ok),
                (f"p95 < {THINK_P95_TARGET_S:g} s", row["p95"] < THINK_P95_TARGET_S),
                (f"growth < {GROWTH_TARGET_MB:g} MB", row["growth"] < GROWTH_TARGET_MB)]
    met = row["p95"] < BURST_P95_TARGET_S if row["processes"] >= 2 else None
    return [(f"p95 < {BURST_P95_TARGET_S:g} s with 2 processes", met)]


# --- report -------------------------------------------------------------------------------

def mark(met: bool | None) -> str:
    return {True: "met", False: "**MISSED**", None: "n/a (needs --processes 2)"}[met]


def report(info: dict, warm: list[dict], check: list[dict], levels: list[dict]) -> str:
    out = [f"Machine: {info['machine']}", f"Database: {info['db']}",
           f"Console processes: {info['processes']}"
           + (" behind nginx (deploy/nginx/service-console.conf)" if info["processes"] > 1 else ""),
           f"Server settings beyond .streamlit/config.toml: {' '.join(info['server_args']) or 'none'}",
           f"Load average before the run: {info['load_before']}",
           f"Server RSS after start and warm-up: {info['rss_warm']:.0f} MB (all processes)", ""]
    if warm:
        total = sum(r["cpu_median"] for r in warm) / len(warm)
        out += ["Warm renders, one at a time (server CPU read around each view, median of "
                f"{info['warm_repeats']}; target <= {WARM_CPU_TARGET_S:.2f} s per page):", "",
                "| page | server CPU s | time s | script runs | elements | target |",
                "|---|---|---|---|---|---|"]
        out += [f"| {r['page']} | {r['cpu_median']:.3f} | {r['seconds_median']:.2f} | {r['runs']} | "
                f"{r['elements']} | {mark(r['cpu_median'] <= WARM_CPU_TARGET_S)} |" for r in warm]
        out += [f"| mean of 5 | {total:.3f} | | | | {mark(total <= WARM_CPU_TARGET_S)} |", ""]
    if check:
        out += ["Check: one real browser render against one protocol render per page (same process):",
                "", "| page | elements browser / protocol | server CPU s browser / protocol | "
                "time s browser / protocol | script runs browser / protocol | HTTP requests "
                "browser / protocol |", "|---|---|---|---|---|---|"]
        out += [f"| {r['page']} | {r['browser_elements']} / {r['protocol_elements']} | "
                f"{r['browser_cpu']:.3f} / {r['protocol_cpu']:.3f} | "
                f"{r['browser_seconds']:.2f} / {r['protocol_seconds']:.2f} | "
                f"{r['browser_runs']} / {r['protocol_runs']} | {r['browser_requests']} / 3 |"
                for r in check]
        out.append("")
    out += ["| scenario | users | renders ok | p50 s | p95 s | max s | wall s | server CPU s "
            "per render | client CPU s per render | server CPU mean / peak % | RSS before / peak / "
            "after MB | growth MB | CPU pressure % | load avg | targets |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in levels:
        pressure = "–" if r["cpu_pressure_pct"] is None else f"{r['cpu_pressure_pct']:.0f}"
        targets = "; ".join(f"{name}: {mark(met)}" for name, met in r["targets"]) or "–"
        out.append(
            f"| {r['scenario']} | {r['users']} | {r['ok']}/{r['views']} | {r['p50']:.2f} | "
            f"{r['p95']:.2f} | {r['max']:.2f} | {r['wall']:.0f} | {r['cpu_per_view']:.3f} | "
            f"{r['client_cpu_per_view']:.3f} | {r['server_cpu_mean_pct']:.0f} / "
            f"{r['server_cpu_peak_pct']:.0f} | {r['rss_before']:.0f} / {r['rss_peak']:.0f} / "
            f"{r['rss_after']:.0f} | {r['growth']:+.0f} | {pressure} | {r['load']} | {targets} |")
    for r in levels:
        if r["failures"]:
            out.append(f"\nFailures, {r['scenario']} {r['users']}: {'; '.join(r['failures'])}")
    return "\n".join(out)


def missed(warm: list[dict], levels: list[dict]) -> list[str]:
    out = []
    if warm and sum(r["cpu_median"] for r in warm) / len(warm) > WARM_CPU_TARGET_S:
        out.append(f"warm render CPU > {WARM_CPU_TARGET_S} s")
    for r in levels:
        out += [f"{r['scenario']} {r['users']}: {name}" for name, met in r["targets"] if met is False]
    return out


async def main_async(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    db = args.db
    if db is None:
        from lib.bootstrap import build_demo_database
        db = f"sqlite:///{workdir / 'service.db'}"
        print(f"building a demo database of {args.orders} orders at {db}", file=sys.stderr)
        build_demo_database(db, orders=args.orders, seed=2026)
    server_args = tuple(args.server_arg or ())
    if args.gc != "config":
        server_args += ("--runner.postScriptGC", "true" if args.gc == "on" else "false")
    info = {"machine": machine(), "db": db, "load_before": load_average(),
            "processes": args.processes, "server_args": list(server_args),
            "warm_repeats": args.warm_repeats}
    fleet = Fleet(db, workdir, args.processes, server_args)
    browser_handle = None
    try:
        fleet.start()
        if args.no_browser:
            for console in fleet.consoles:
                await protocol.prime(console.url)
            cookie, cookies = protocol.mint_cookie(COOKIE_KEY, LOGIN[0], db), None
        else:
            cookie, browser_handle, cookies = await login_cookie_via_form(
                fleet.consoles[0].url, args.render_timeout)
        for console in fleet.consoles:  # imports, migrations, caches: on every process
            for _ in range(2):
                warmup = await burst_user(console.url, cookie, args.render_timeout)
                if not all(v.ok for v in warmup):
                    print(f"warm-up failed: {warmup}", file=sys.stderr)
                    return 2
        await settle(fleet, limit=10)
        info["rss_warm"] = fleet.rss_mb()
        warm = await warm_renders(fleet, cookie, args.warm_repeats, args.render_timeout) \
            if args.warm_repeats else []
        print(f"[warm] {json.dumps(warm)}", file=sys.stderr, flush=True)
        check = [] if browser_handle is None else await browser_check(
            fleet, browser_handle[1], cookies, cookie, args.render_timeout)
        print(f"[check] {json.dumps(check)}", file=sys.stderr, flush=True)
        levels = []
        for scenario in args.scenarios:
            for users in args.levels:
                row = await run_level(fleet, cookie, scenario, users, args, info["rss_warm"])
                levels.append(row)
                print(f"[{scenario} {users}] {json.dumps(row, default=str)}", file=sys.stderr,
                      flush=True)
    finally:
        if browser_handle is not None:
            manager, browser = browser_handle
            await browser.close()
            await manager.__aexit__(None, None, None)
        fleet.stop()
    text = report(info, warm, check, levels)
    failed = missed(warm, levels)
    print(text)
    print("\nTargets: " + ("all evaluated targets met" if not failed else
                           "MISSED: " + "; ".join(failed)))
    if args.json:
        Path(args.json).write_text(json.dumps({"info": info, "warm": warm, "check": check,
                                               "levels": levels}, indent=1, default=str))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.split("\n")[0])
    numbers = lambda s: [int(x) for x in s.split(",") if x.strip()]  # noqa: E731
    parser.add_argument("--levels", "--sessions", default=[10, 25, 50, 100], type=numbers,
                        help="concurrent users per level (default 10,25,50,100)")
    parser.add_argument("--scenarios", default=["burst", "think"],
                        type=lambda s: [x for x in s.split(",") if x in ("burst", "think")])
    parser.add_argument("--minutes", type=float, default=3.0,
                        help="length of each think-time level (default 3)")
    parser.add_argument("--think", default=[10.0, 30.0], type=lambda s: [float(x) for x in s.split(",")],
                        help="seconds between a user's page views, low,high (default 10,30)")
    parser.add_argument("--processes", type=int, default=1,
                        help="console processes; more than 1 puts nginx in front")
    parser.add_argument("--gc", choices=("config", "on", "off"), default="config",
                        help="runner.postScriptGC: as .streamlit/config.toml says, or forced")
    parser.add_argument("--server-arg", action="append",
                        help="extra argument for `streamlit run` (repeatable)")
    parser.add_argument("--warm-repeats", type=int, default=3,
                        help="views per page for the warm-render CPU figures (0: skip)")
    parser.add_argument("--no-browser", action="store_true",
                        help="mint the login cookie with the test key and skip the browser check")
    parser.add_argument("--rss-every", type=float, default=30.0,
                        help="seconds between RSS samples of the curve kept in --json")
    parser.add_argument("--db", default=None, help="SQLAlchemy URL of a built demo database "
                        "(default: build one of --orders orders in a temporary directory)")
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--render-timeout", type=float, default=120.0,
                        help="seconds a page view may take before it counts as failed")
    parser.add_argument("--json", default=None, help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
