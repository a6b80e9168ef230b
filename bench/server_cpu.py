"""Server CPU per warm full page load of the 5 KPI pages, read around real renders.

    python -m bench.server_cpu [--orders 1000000 | --db URL] [--views 10] [--profile]
                               [--app-root DIR] [--label after] [--json FILE]
                               [--write docs/benchmarks.md]

`--orders N` measures a cached demo of N orders whose data ends today
(`bench.datasets.console_url`): the console's as-of is now, so on a database that
ends earlier its pages would be empty, and a view without a chart is refused.
Starts a real console (`streamlit run Home.py`, .streamlit/config.toml of the
app root), warms it (two passes over the pages), then opens each KPI page
`--views` times as a browser's full page load would (loadtest/protocol.py: the
page's HTML, health and host-config, the WebSocket, one script run) and reads
the server process's CPU (user + system) around each view, waiting for the
server to go quiet afterwards so post-run work is counted. `--profile` then
samples the server with py-spy (`--gil`: only the thread holding the
interpreter lock, i.e. the CPU the interpreter spends) over another round of
views and sorts each sample by the library it was in (leaf first): where the
time goes. `--app-root` runs another checkout of the console (e.g. an older
commit, for "before"). `--write` puts the section (all labels in the JSON
file) into docs/benchmarks.md between its markers, and into
bench/server_cpu.md, which `python -m bench` appends when it rewrites the page.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import datasets
from loadtest import protocol
from loadtest.server import COOKIE_KEY, ROOT, Console

KPI_PAGES = ("Orders", "Install_Promise", "Engineers", "Members", "Communities")
TARGET_S = 0.10
BEGIN, END = "<!-- server-cpu:begin -->", "<!-- server-cpu:end -->"
SECTION_FILE = Path(__file__).with_name("server_cpu.md")

# (category, path fragments): a sample goes to the first category, from the leaf up,
# whose fragment appears in a frame's file.
CATEGORIES = [
    ("SQL (SQLAlchemy, driver)", ("sqlalchemy", "sqlite3", "psycopg", "pymysql")),
    ("chart spec: altair to_dict / validation", ("altair", "jsonschema", "referencing", "narwhals")),
    ("map spec: pydeck JSON", ("pydeck",)),
    ("Arrow serialisation (tables, chart data)", ("pyarrow", "dataframe_util", "arrow")),
    ("formatting (Babel, lib.i18n)", ("babel", "lib/i18n")),
    ("authentication (lib.auth, JWT, bcrypt)", ("lib/auth", "lib/ui/auth", "jwt", "bcrypt",
                                                "streamlit_authenticator")),
    ("pandas / NumPy", ("pandas", "numpy")),
    ("protobuf messages", ("google/protobuf", "forward_msg", "protobuf")),
    ("caching (st.cache_data keys, pickling)", ("runtime/caching", "pickle", "hashing")),
    ("page code (pages/, lib/)", ("/pages/", "/lib/", "Home.py")),
    ("Streamlit script runner and elements", ("scriptrunner", "streamlit/elements",
                                              "streamlit/delta_generator", "streamlit/runtime",
                                              "streamlit/navigation", "streamlit/commands")),
    ("HTTP / WebSocket serving, event loop", ("uvicorn", "starlette", "websockets", "asyncio",
                                             "h11", "anyio", "httptools", "streamlit/web")),
]


def settle(console: Console, quiet: float = 0.02, step: float = 0.3, limit: float = 5.0) -> None:
    deadline, last = time.monotonic() + limit, console.cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(step)
        now = console.cpu_seconds()
        if now - last < quiet:
            return
        last = now


def measure(console: Console, cookie: str, views: int, timeout: float) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {page: [] for page in KPI_PAGES}
    for _ in range(views):  # pages interleaved, so a burst of outside load hits all of them
        for page in KPI_PAGES:
            settle(console)
            before = console.cpu_seconds()
            view = asyncio.run(protocol.view(console.url, page, cookie, timeout=timeout))
            settle(console)
            if not view.ok:
                raise RuntimeError(f"{page}: {view.error}")
            if not (view.elements.get("vega_lite_chart") or view.elements.get("deck_gl_json_chart")):
                raise RuntimeError(f"{page}: no chart drawn ({view.elements}): an empty page is no "
                                   "measurement; does the database's data reach today (--orders)?")
            out[page].append(console.cpu_seconds() - before)
    return out


def categorise(collapsed: Path) -> Counter:
    """py-spy's collapsed stacks ("frame;frame;... count") -> samples per category."""
    totals: Counter = Counter()
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        category = "other"
        for frame in reversed(frames):
            if any(fragment in frame for _, fragments in CATEGORIES for fragment in fragments):
                category = next(name for name, fragments in CATEGORIES
                                if any(fragment in frame for fragment in fragments))
                break
        totals[category] += int(count)
    return totals


def profile(console: Console, cookie: str, views: int, timeout: float, workdir: Path) -> dict:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out = workdir / "profile.txt"
    recorder = subprocess.Popen([spy, "record", "--pid", str(console.process.pid), "--gil",
                                 "--rate", "250", "--format", "raw", "--output", str(out),
                                 "--nonblocking"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    time.sleep(2)
    before = console.cpu_seconds()
    measure(console, cookie, views, timeout)
    cpu = console.cpu_seconds() - before
    recorder.send_signal(2)  # SIGINT: py-spy writes its file and exits
    _, err = recorder.communicate(timeout=60)
    if not out.exists():
        raise RuntimeError(f"py-spy wrote nothing: {err.decode()[-400:]}")
    totals = categorise(out)
    samples = sum(totals.values())
    return {"cpu_seconds": cpu, "views": views * len(KPI_PAGES), "samples": samples,
            "shares": {k: v / samples for k, v in totals.most_common()}}


def section(results: dict) -> str:
    out = [BEGIN, "## Server CPU per warm full page load (issue #19, `bench/server_cpu.py`)", "",
           "A real console process; each KPI page opened as a browser's full page load by the "
           "protocol client of `python -m loadtest` (HTML, health, host-config, WebSocket, one "
           "script run), the server's CPU (user + system) read around each view after it went "
           f"quiet. Target: **at most {TARGET_S:.2f} s per page at 1,000,000 orders**. Written by "
           "`python -m bench.server_cpu --write docs/benchmarks.md`; the load average beside "
           "each run tells a quiet machine from a shared one.", ""]
    out += table(results)
    out.append(END)
    return "\n".join(out) + "\n"


def table(results: dict) -> list[str]:
    """The markdown lines of the figures of `results` (label -> run): CPU per page, and
    where it went for the profiled runs."""
    out = []
    labels = list(results)
    out += ["| run | database | views per page | " + " | ".join(KPI_PAGES) +
            " | mean | target | load avg |", "|---" * (len(KPI_PAGES) + 6) + "|"]
    for label in labels:
        r = results[label]
        medians = [statistics.median(r["cpu"][p]) for p in KPI_PAGES]
        mean = sum(medians) / len(medians)
        # the counters tick in 10 ms: compare at that grain, not the float noise below it
        verdict = "met" if round(max(medians), 3) <= TARGET_S else "**missed**"
        out.append(f"| {label} | {r['db_label']} | {r['views']} | " +
                   " | ".join(f"{m:.3f}" for m in medians) +
                   f" | {mean:.3f} | {verdict} | {r['load']} |")
    profiled = [label for label in labels if results[label].get("profile")]
    if profiled:
        out += ["", "Where the server's CPU went during warm renders (py-spy `--gil`, share of "
                "samples, each sample given to the library it was in, leaf first; CPU s per view "
                "from the process's counters over the profiled round):", "",
                "| part | " + " | ".join(profiled) + " |", "|---" * (len(profiled) + 1) + "|"]
        names = [name for name, _ in CATEGORIES] + ["other"]
        for name in names:
            cells = []
            for label in profiled:
                p = results[label]["profile"]
                share = p["shares"].get(name, 0.0)
                cells.append(f"{100 * share:.0f} % ({share * p['cpu_seconds'] / p['views']:.3f} s)")
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("| **CPU s per view, profiled round** | " + " | ".join(
            f"{results[label]['profile']['cpu_seconds'] / results[label]['profile']['views']:.3f}"
            for label in profiled) + " |")
    notes = [results[label].get("note") for label in labels if results[label].get("note")]
    if notes:
        out += [""] + [f"- {label}: {results[label]['note']}" for label in labels
                       if results[label].get("note")]
    return out


def write_section(text: str, page: Path) -> None:
    SECTION_FILE.write_text(text)
    current = page.read_text() if page.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head + text.rstrip("\n") + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text
    page.write_text(current)


def run(db: str, *, views: int, profile_views: int | None = None, app_root: Path = ROOT,
        server_args: tuple[str, ...] = (), timeout: float = 120.0) -> dict:
    """{"cpu": page -> CPU s per view, "profile": ...} of one console process on `db`."""
    workdir = Path(tempfile.mkdtemp(prefix="server-cpu-"))
    console = Console(db, workdir / "console.log", server_args, app_root=app_root)
    try:
        console.wait_healthy(timeout=120)
        asyncio.run(protocol.prime(console.url))
        cookie = protocol.mint_cookie(COOKIE_KEY, "manager_demo", db)
        measure(console, cookie, 2, timeout)  # warm: imports, migrations, caches
        cpu = measure(console, cookie, views, timeout)
        prof = profile(console, cookie, profile_views, timeout, workdir) if profile_views else None
    finally:
        console.stop()
    return {"views": views, "cpu": cpu, "profile": prof,
            "load": " ".join(f"{v:.1f}" for v in os.getloadavg())}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.server_cpu", description=__doc__.splitlines()[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--orders", type=int, help="a cached demo of this many orders ending today")
    where.add_argument("--db", help="SQLAlchemy URL of a built demo database (data up to today)")
    p.add_argument("--db-label", default=None, help="how the table names the database")
    p.add_argument("--views", type=int, default=10, help="warm views per page")
    p.add_argument("--profile", action="store_true", help="also profile a round with py-spy")
    p.add_argument("--profile-views", type=int, default=4)
    p.add_argument("--app-root", type=Path, default=ROOT, help="checkout of the console to run")
    p.add_argument("--server-arg", action="append", help="extra argument for `streamlit run`")
    p.add_argument("--label", default="this commit")
    p.add_argument("--note", default=None)
    p.add_argument("--json", type=Path, default=ROOT / "bench" / "server_cpu.json")
    p.add_argument("--write", type=Path, default=None, help="docs/benchmarks.md to update")
    p.add_argument("--timeout", type=float, default=120.0)
    args = p.parse_args(argv)
    db = args.db or datasets.console_url(args.orders)
    label = args.db_label or (f"SQLite, {args.orders:,} orders" if args.orders else db.rsplit("/", 1)[-1])
    result = run(db, views=args.views, profile_views=args.profile_views if args.profile else None,
                 app_root=args.app_root, server_args=tuple(args.server_arg or ()), timeout=args.timeout)
    results = json.loads(args.json.read_text()) if args.json.exists() else {}
    results[args.label] = {"db_label": label, **result, "note": args.note}
    args.json.write_text(json.dumps(results, indent=1))
    text = section(results)
    print(text)
    if args.write:
        write_section(text, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
