"""docs/benchmarks.md from the results, every figure against its target."""
from __future__ import annotations

import json

import statistics
from pathlib import Path

from bench.views import VIEW_TITLES, VIEWS

# Targets for the 90-day view; the whole history may take up to HISTORY_FACTOR times
# as long (and, for the two ratios, the factor is applied the same way).
FUNCTION_COLD_S = 1.0
SNAPSHOT_S = 5.0
SNAPSHOT_MB = 300.0
PAGE_COLD_S = 2.0
PAGE_WARM_S = 0.3
NAIVE_SPEEDUP = 10.0
FLOOR_RATIO = 2.0
HISTORY_FACTOR = 3.0
MEMORY_GROWTH = 1.25      # 1M peak / 100k peak at most this: "not growing"
BIG_SNAPSHOT_S = 10.0     # 5,000,000 orders



def _map_lines(d: dict, views: list) -> list[str]:
    """The community map: bytes its specification sends to the browser (country view, and
    zoomed into the city with the most communities) and the city view's cold render."""
    rows = []
    for v in views:
        p = (d["views"][v].get("pages") or {}).get("pages/5_Communities.py") or {}
        city = p.get("city_view")
        if "map_bytes" not in p or city is None:
            continue
        good = city["cold_median"] <= PAGE_COLD_S * _factor(v)
        rows.append(f"| {v} | {p['map_bytes']:,} | {city['map_bytes']:,} | "
                    f"{_s(city['cold_median'])} | {_ok(good)} |")
    if not rows:
        return []
    return ["", "### Community map: data sent to the browser", "",
            "Bytes of the map's specification sent over the WebSocket on the first render (the "
            "basemap is static files, loaded once and cached by the browser).", "",
            "| view | country view (bytes) | city view (bytes) | city view cold (s) | |",
            "|---|---:|---:|---:|---|", *rows]

def _m(values):
    return statistics.median(values) if values else None


def _s(value, digits=3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ok(good: bool | None) -> str:
    return "–" if good is None else ("✅" if good else "❌")


def _factor(view: str) -> float:
    return 1.0 if view == "90d" else HISTORY_FACTOR


def _snapshot_limit(orders: int, view: str) -> float:
    """5,000,000 orders and more have their own snapshot target."""
    return BIG_SNAPSHOT_S if orders >= 5_000_000 else SNAPSHOT_S * _factor(view)


def _pair(figure: float | None, cpu: float | None, limit: float, fmt: str, *, at_least=False):
    """(figure text, met) for the wall figure and for the CPU figure."""
    def one(v):
        if v is None:
            return "–", None
        return fmt.format(v), (v >= limit if at_least else v <= limit)
    return one(figure), one(cpu)


def _ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def checks(results: dict) -> list[tuple]:
    """(dataset, target, (wall figure, met), (cpu figure, met)) for every target.

    The CPU figure is only given on SQLite: on a server backend the query's CPU is
    spent in the server, not in the measuring process."""
    out = [row if row[0].startswith("sqlite") else (*row[:3], ("", None))
           for row in _checks(results)]
    return out


def _checks(results: dict) -> list[tuple]:
    out = []
    datasets = results["datasets"]
    for key, d in datasets.items():
        if "error" in d:
            continue
        for view, r in d["views"].items():
            k = _factor(view)
            tag = f"{key} {view}"
            fns = r["functions"]
            if fns:
                limit = FUNCTION_COLD_S * k
                worst = max(fns, key=lambda n: _m(fns[n]["cold"]))
                worst_cpu = max(fns, key=lambda n: _m(fns[n].get("cold_cpu")) or 0)
                over = sum(_m(t["cold"]) > limit for t in fns.values())
                over_cpu = sum((_m(t.get("cold_cpu")) or 0) > limit for t in fns.values())
                out.append((tag, f"every KPI function cold ≤ {limit:g} s",
                            (f"{over} over; slowest {worst} {_m(fns[worst]['cold']):.2f} s", not over),
                            (f"{over_cpu} over; slowest {worst_cpu} "
                             f"{_m(fns[worst_cpu].get('cold_cpu')) or 0:.2f} s", not over_cpu)))
            snap = r["snapshot"]
            if d["orders"] < 5_000_000:  # 5,000,000 orders: its own 10 s target, below
                out.append((tag, f"snapshot ≤ {SNAPSHOT_S * k:g} s",
                            *_pair(_m(snap["wall"]), _m(snap.get("cpu")), SNAPSHOT_S * k,
                                   "{:.2f} s")))
            peak = max(snap["peak_rss_mb"])
            out.append((tag, f"snapshot peak ≤ {SNAPSHOT_MB * k:g} MB",
                        (f"{peak:.0f} MB", peak <= SNAPSHOT_MB * k), ("", None)))
            for kpi, e in r["kpis"].items():
                lib, lib_cpu = _m(e["library"]), _m(e.get("library_cpu"))
                if "naive" in e:
                    out.append((tag, f"{kpi}: ≥ {NAIVE_SPEEDUP / k:.3g}× faster than naive",
                                *_pair(_ratio(_m(e["naive"]), lib),
                                       _ratio(_m(e.get("naive_cpu")), lib_cpu),
                                       NAIVE_SPEEDUP / k, "{:.1f}×", at_least=True)))
                cpu_floor = _ratio(lib_cpu, _m(e.get("floor_cpu"))) \
                    if d["backend"] == "sqlite" else None
                out.append((tag, f"{kpi}: ≤ {FLOOR_RATIO * k:g}× the floor",
                            *_pair(_ratio(lib, _m(e["floor"])), cpu_floor, FLOOR_RATIO * k,
                                   "{:.2f}×")))
                out.append((tag, f"{kpi}: figures agree (library = floor = naive)",
                            ("", e["agree"]), ("", None)))
            for page, p in (r.get("pages") or {}).items():
                name = page.split("/")[-1]
                out.append((tag, f"{name} cold ≤ {PAGE_COLD_S * k:g} s",
                            *_pair(p["cold_median"], p.get("cold_cpu_median"), PAGE_COLD_S * k,
                                   "{:.2f} s")))
                out.append((tag, f"{name} warm ≤ {PAGE_WARM_S * k:g} s",
                            *_pair(p["warm_median"], p.get("warm_cpu_median"), PAGE_WARM_S * k,
                                   "{:.2f} s")))
    # memory must not grow with the number of orders: largest against smallest, per backend
    by_backend: dict = {}
    for key, d in datasets.items():
        if "error" not in d:
            by_backend.setdefault(d["backend"], []).append(d)
    for backend, ds in by_backend.items():
        ds.sort(key=lambda d: d["orders"])
        if len(ds) >= 2:
            small, big = ds[0], ds[-1]
            for view in VIEWS:
                if view in small["views"] and view in big["views"]:
                    a = max(small["views"][view]["snapshot"]["peak_rss_mb"])
                    b = max(big["views"][view]["snapshot"]["peak_rss_mb"])
                    out.append((f"{backend} {view}",
                                f"snapshot memory not growing ({small['orders']:,} → {big['orders']:,})",
                                (f"{a:.0f} → {b:.0f} MB ({b / a:.2f}×)", b / a <= MEMORY_GROWTH),
                                ("", None)))
        for d in ds:
            if d["orders"] >= 5_000_000 and "90d" in d["views"]:
                snap = d["views"]["90d"]["snapshot"]
                out.append((f"{backend}:{d['orders']} 90d", f"snapshot ≤ {BIG_SNAPSHOT_S:g} s",
                            *_pair(_m(snap["wall"]), _m(snap.get("cpu")), BIG_SNAPSHOT_S,
                                   "{:.2f} s")))
    return out


def _worst(values: dict, key: str, *, lowest: bool = False):
    """(name, median) of the entry whose median `key` is highest (or lowest)."""
    medians = {n: _m(v[key]) if isinstance(v[key], list) else v[key] for n, v in values.items()
               if v.get(key) is not None}
    if not medians:
        return None, None
    name = (min if lowest else max)(medians, key=medians.get)
    return name, medians[name]


def _cell(value, limit, fmt, *, at_least=False) -> str:
    if value is None:
        return "–"
    met = value >= limit if at_least else value <= limit
    return f"{fmt.format(value)} {_ok(met)}"


def glance(results: dict) -> str:
    """One line per dataset and view: the worst figure of each kind against its target
    (wall time; the KPI tables below give CPU time too)."""
    lines = ["| dataset / view | slowest KPI function, cold | snapshot | snapshot peak | "
             "slowest page, cold | slowest page, warm | least × faster than naive | "
             "most × the floor | figures agree |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, d in results["datasets"].items():
        if "error" in d:
            continue
        for view, r in d["views"].items():
            k = _factor(view)
            fn, fn_s = _worst(r["functions"], "cold")
            snap = r["snapshot"]
            snapshot_limit = _snapshot_limit(d["orders"], view)
            pages = r.get("pages") or {}
            cold_page, cold_s = _worst(pages, "cold_median")
            warm_page, warm_s = _worst(pages, "warm_median")
            speedups = {n: _ratio(_m(e["naive"]), _m(e["library"]))
                        for n, e in r["kpis"].items() if "naive" in e}
            ratios = {n: _ratio(_m(e["library"]), _m(e["floor"])) for n, e in r["kpis"].items()}
            least = min(speedups, key=speedups.get) if speedups else None
            most = max(ratios, key=ratios.get) if ratios else None
            cells = [
                f"{_cell(fn_s, FUNCTION_COLD_S * k, '{:.2f} s')} `{fn}`" if fn else "–",
                _cell(_m(snap["wall"]), snapshot_limit, "{:.2f} s"),
                _cell(max(snap["peak_rss_mb"]), SNAPSHOT_MB * k, "{:.0f} MB"),
                f"{_cell(cold_s, PAGE_COLD_S * k, '{:.2f} s')} {cold_page.split('/')[-1]}"
                if cold_page else "–",
                f"{_cell(warm_s, PAGE_WARM_S * k, '{:.2f} s')} {warm_page.split('/')[-1]}"
                if warm_page else "–",
                f"{_cell(speedups[least], NAIVE_SPEEDUP / k, '{:.0f}×', at_least=True)} {least}"
                if least else "–",
                f"{_cell(ratios[most], FLOOR_RATIO * k, '{:.2f}×')} {most}" if most else "–",
                _ok(all(e["agree"] for e in r["kpis"].values()) and snap["agrees_with_library"]),
            ]
            lines.append(f"| {key} {view} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary(results: dict) -> str:
    lines = ["| dataset / view | target | wall figure | | CPU figure | |",
             "|---|---|---|---|---|---|"]
    for tag, what, (wall, ok), (cpu, cpu_ok) in checks(results):
        lines.append(f"| {tag} | {what} | {wall} | {_ok(ok)} | {cpu} | {_ok(cpu_ok)} |")
    return "\n".join(lines)


def markdown(results: dict) -> str:
    m = results["machine"]
    out = [
        "# Benchmarks: the KPI library at real volume",
        "",
        "Generated by `python -m bench` (package `bench/`); do not edit by hand, re-run it.",
        "",
        "## The machine",
        "",
        f"- {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM; Python {m['python']}, "
        f"SQLite {m['sqlite']}, SQLAlchemy {m['sqlalchemy']}, pandas {m['pandas']}",
        f"- load average (1, 5, 15 min) at the start: {results.get('load_start', '?')}, "
        f"at the end: {results.get('load_end', '?')}; per dataset and view below, so a run "
        "on a busy machine can be told from one on a quiet machine. Every figure is a "
        "median over runs.",
        f"- data: the shared seeded builder (`lib.demo.builder.build`), seed {results['seed']}, "
        f"three years ending {results['end']}; as-of {VIEWS['90d'].as_of:%Y-%m-%d %H:%M:%S}.",
        f"- code: commit {results.get('git', {}).get('commit', '?')}"
        + (f", with uncommitted changes in {', '.join(results['git']['dirty'])} (measured as they were)"
           if results.get("git", {}).get("dirty") else "") + ".",
        f"- runs: {results['runs']} per figure (naive way: {results['naive_runs']}), median shown.",
        "",
        "## How to reproduce",
        "",
        "```sh",
        ".venv/bin/python -m bench --orders 100000,1000000 --backends sqlite --runs 5 --merge",
        ".venv/bin/python -m bench --orders 1000000 --backends postgresql --runs 5 --merge",
        ".venv/bin/python -m bench --orders 5000000 --backends sqlite,postgresql --runs 3 "
        "--skip-pages --skip-naive --skip-functions --views 90d --merge",
        "```",
        "",
        f"This run: `{results.get('command', '')}`.",
        "",
        "Databases are built once and cached: SQLite files under `data/bench/` "
        "(`$BENCH_DATA_DIR`), keyed by (orders, seed, end); PostgreSQL databases "
        "`sc_bench_<orders>_<seed>_<end>` kept on the server of `lib.db.provision` "
        "(`TEST_POSTGRES_URL`). Raw figures, kept beside this page: `docs/benchmarks.json`.",
        "",
        "## What is measured",
        "",
        "- **Views**: " + "; ".join(f"`{k}` = {VIEW_TITLES[k]} "
                                    f"({VIEWS[k].start} to {VIEWS[k].end})" for k in VIEWS) + ".",
        "- **cold**: a fresh process-level engine (`make_engine`), the console's engine "
        "`lru_cache` and Streamlit's caches emptied. The operating system's file cache is "
        "*not* dropped (that needs root and would disturb the other work on this machine), "
        "so cold means a new engine and empty application caches, not a cold disk. "
        "**warm**: the same engine again after one untimed call.",
        "- **KPI functions**: every public function of `lib.kpi` the pages and the report call.",
        "- **Library / naive / floor**: each SPEC KPI as `python -m lib.report` prints it. "
        "*library*: the `lib.kpi` calls the report makes; *naive*: whole tables read with "
        "`pd.read_sql_table` and computed in pandas (`bench/naive.py`); *floor*: one "
        "hand-written SQL statement per KPI (`bench/floor.py`). All three run cold, and "
        "their figures are compared: *agree* means exactly equal.",
        "- **Snapshot**: `python -m lib.report` as a whole process (interpreter start and "
        "imports included); peak RSS from `getrusage(RUSAGE_CHILDREN)` in a wrapper process "
        "(`bench/rss.py`). Its JSON is checked against the library figures.",
        "- **Pages**: each KPI page through Streamlit's `AppTest`, signed in as admin; cold = "
        "caches emptied and a new session's first render; warm = that session's second "
        "render. One untimed render of every page first pays for imports and script "
        "compilation, as a running server has.",
        f"- **Targets** (for the 90-day view; the whole history may take "
        f"{HISTORY_FACTOR:g}× as long, and the ratio targets are loosened by the same factor): "
        f"KPI function cold ≤ {FUNCTION_COLD_S:g} s; snapshot ≤ {SNAPSHOT_S:g} s and peak "
        f"≤ {SNAPSHOT_MB:g} MB, not growing with the orders; page ≤ {PAGE_COLD_S:g} s cold, "
        f"≤ {PAGE_WARM_S:g} s warm; ≥ {NAIVE_SPEEDUP:g}× faster than naive; ≤ "
        f"{FLOOR_RATIO:g}× the floor; 5,000,000 orders: snapshot ≤ {BIG_SNAPSHOT_S:g} s.",
        "",
        "## Targets at a glance",
        "",
        "The worst figure of each kind, wall time, against its target (for the whole "
        f"history {HISTORY_FACTOR:g}× the target; 5,000,000 orders: the snapshot's own "
        f"{BIG_SNAPSHOT_S:g} s). \"–\": not measured for that dataset.",
        "",
        glance(results),
        "",
        "## Every target",
        "",
        summary(results),
        "",
    ]
    for key, d in results["datasets"].items():
        out += [f"## {d['backend']}, {d['orders']:,} orders", ""]
        if "error" in d:
            out += [f"Not measured: {d['error']}", ""]
            continue
        out += [f"Load average before: {d['load_before']}, after: {d['load_after']}; "
                f"finished {d['finished_at']}; bench process peak RSS "
                f"{d['bench_peak_rss_mb']:.0f} MB.", ""]
        for v, r in d["views"].items():
            if "load_before" in r:
                out.append(f"- view {v}: {r.get('runs', '?')} runs (naive "
                           f"{r.get('naive_runs', '?')}), load average before "
                           f"{r['load_before']}, after {r['load_after']}, finished "
                           f"{r['finished_at']}")
        if d.get("failure"):
            out.append(f"- stopped early: {d['failure']}")
        out.append("")
        views = list(d["views"])
        if any(d["views"][v]["functions"] for v in views):
            out += ["### KPI functions (median seconds; wall, and CPU of the process)", "",
                    "On PostgreSQL the CPU column is the client's only (the query runs in "
                    "the server): the wall figures are the ones that count there.", "",
                    "| function | " + " | ".join(f"{v} cold | {v} cold CPU | {v} warm"
                                               for v in views) + " | wall | CPU |",
                    "|---|" + "---:|---:|---:|" * len(views) + "---|---|"]
            for name in d["views"][views[0]]["functions"]:
                cells, good, good_cpu = [], True, True
                for v in views:
                    t = d["views"][v]["functions"][name]
                    c, cc = _m(t["cold"]), _m(t.get("cold_cpu"))
                    good &= c <= FUNCTION_COLD_S * _factor(v)
                    good_cpu &= cc is not None and cc <= FUNCTION_COLD_S * _factor(v)
                    cells += [_s(c), _s(cc), _s(_m(t["warm"]))]
                out.append(f"| `{name}` | " + " | ".join(cells) + f" | {_ok(good)} | "
                           f"{_ok(good_cpu if d['backend'] == 'sqlite' else None)} |")
            out.append("")
        out += ["### Library against the naive way and the floor (median seconds, cold)", "",
                "Wall seconds; CPU seconds of the measuring process in brackets.", "",
                "| KPI | view | library | naive | floor | × faster than naive | × floor | agree | |",
                "|---|---|---:|---:|---:|---:|---:|---|---|"]
        for v in views:
            k = _factor(v)
            for kpi, e in d["views"][v]["kpis"].items():
                lib, fl = _m(e["library"]), _m(e["floor"])
                nv = _m(e.get("naive"))
                good = lib / fl <= FLOOR_RATIO * k and e["agree"] and \
                    (nv is None or nv / lib >= NAIVE_SPEEDUP / k)

                def both(way):
                    return f"{_s(_m(e.get(way)))} ({_s(_m(e.get(way + '_cpu')))})"
                out.append(f"| {kpi} | {v} | {both('library')} | {both('naive')} | "
                           f"{both('floor')} | {'–' if nv is None else f'{nv / lib:.1f}'} | "
                           f"{lib / fl:.2f} | {'yes' if e['agree'] else 'NO'} | {_ok(good)} |")
        out += ["", "### Snapshot command", "",
                "| view | wall (median s) | CPU (median s) | peak RSS (MB) | "
                "same figures as the library | |",
                "|---|---:|---:|---:|---|---|"]
        for v in views:
            snap, k = d["views"][v]["snapshot"], _factor(v)
            wall, peak = _m(snap["wall"]), max(snap["peak_rss_mb"])
            out.append(f"| {v} | {wall:.2f} | {_s(_m(snap.get('cpu')), 2)} | {peak:.0f} | "
                       f"{'yes' if snap['agrees_with_library'] else 'NO'} | "
                       f"{_ok(wall <= _snapshot_limit(d['orders'], v) and peak <= SNAPSHOT_MB * k)} |")
        if any(d["views"][v].get("pages") for v in views):
            out += ["", "### Pages (AppTest, median seconds)", "",
                    "Wall seconds; CPU seconds of the AppTest process in brackets.", "",
                    "| page | " + " | ".join(f"{v} cold | {v} warm" for v in views) + " | |",
                    "|---|" + "---:|---:|" * len(views) + "---|"]
            for page in d["views"][views[0]].get("pages") or {}:
                cells, good = [], True
                for v in views:
                    p = (d["views"][v].get("pages") or {}).get(page)
                    if p is None:
                        cells += ["–", "–"]
                        continue
                    k = _factor(v)
                    good &= p["cold_median"] <= PAGE_COLD_S * k and \
                        p["warm_median"] <= PAGE_WARM_S * k
                    cells += [f"{_s(p['cold_median'])} ({_s(p.get('cold_cpu_median'))})",
                              f"{_s(p['warm_median'])} ({_s(p.get('warm_cpu_median'))})"]
                out.append(f"| `{page}` | " + " | ".join(cells) + f" | {_ok(good)} |")
            out += _map_lines(d, views)
        out.append("")
    from bench import focus   # retention against the floor, the analytical path (issue 19)
    if focus.JSON.exists():
        out += [focus.markdown(json.loads(focus.JSON.read_text())).rstrip(), ""]
    findings = Path(__file__).with_name("findings.md")
    if findings.exists():  # the hand-written reading of these figures
        out += [findings.read_text().rstrip(), ""]
    server_cpu = Path(__file__).with_name("server_cpu.md")
    if server_cpu.exists():  # written by python -m bench.server_cpu (real server, real renders)
        out += [server_cpu.read_text().rstrip(), ""]
    return "\n".join(out)
