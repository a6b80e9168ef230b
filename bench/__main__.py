"""python -m bench: measure, print a table, write docs/benchmarks.md.

    python -m bench [--orders 100000,1000000] [--backends sqlite,postgresql] [--runs 5]
                    [--naive-runs 3] [--views 90d,all] [--skip-pages] [--skip-naive]
                    [--out docs/benchmarks.md] [--json docs/benchmarks.json]
                    [--merge]

Each (backend, orders) pair is measured in turn; its results are saved to the
JSON file as soon as it is done, so a long run that is stopped keeps what it
measured. `--merge` keeps what the JSON file already holds that this run does not
measure (other pairs, other views of a pair: e.g. add PostgreSQL, or the
whole-history view, to an earlier run), and the Markdown is written from
everything in it. Results are saved after each view.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench import measure, render
from bench.datasets import END, SEED
from bench.run import log, run_dataset

ROOT = Path(__file__).resolve().parent.parent


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x]


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--orders", type=_ints, default=[100_000, 1_000_000])
    p.add_argument("--backends", default="sqlite")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--naive-runs", type=int, default=3)
    p.add_argument("--views", default="90d,all")
    p.add_argument("--skip-pages", action="store_true")
    p.add_argument("--skip-naive", action="store_true")
    p.add_argument("--skip-functions", action="store_true",
                   help="only the KPI comparisons, the snapshot and the pages")
    p.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    p.add_argument("--json", default=str(ROOT / "docs" / "benchmarks.json"))
    p.add_argument("--merge", action="store_true")
    p.add_argument("--combine", default="",
                   help="measure nothing: merge these result files (comma-separated) into "
                        "--json, view by view, and write the Markdown")
    p.add_argument("--command", default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    results_path = Path(args.json)
    results: dict = {"machine": measure.machine(), "seed": SEED, "end": END.isoformat(),
                     "runs": args.runs, "naive_runs": args.naive_runs, "datasets": {}}
    if args.merge and results_path.exists():
        old = json.loads(results_path.read_text())
        results["datasets"] = old.get("datasets", {})
    results["command"] = args.command or "python -m bench " + " ".join(argv or sys.argv[1:])
    results["load_start"] = measure.load_average()
    results["git"] = measure.git_state()
    if args.combine:
        return combine([Path(p) for p in args.combine.split(",") if p], results_path,
                       Path(args.out))
    views = [v for v in args.views.split(",") if v]
    for backend in [b for b in args.backends.split(",") if b]:
        for orders in args.orders:
            log(f"== {backend} {orders:,} orders (load {measure.load_average()})")
            key = f"{backend}:{orders}"

            def save(data, key=key):
                results["datasets"][key] = data
                results["load_end"] = measure.load_average()
                results_path.parent.mkdir(parents=True, exist_ok=True)
                results_path.write_text(json.dumps(results, indent=1))
            previous = results["datasets"].get(key) if args.merge else None
            if previous is not None and "error" in previous:
                previous = None
            try:
                data = run_dataset(backend, orders, runs=args.runs, naive_runs=args.naive_runs,
                                   views=views, skip_pages=args.skip_pages,
                                   skip_naive=args.skip_naive,
                                   skip_functions=args.skip_functions, previous=previous,
                                   on_view=save)
            except Exception as error:  # e.g. PostgreSQL not reachable: say so, go on
                log(f"   failed: {error.__class__.__name__}: {error}")
                problem = f"{error.__class__.__name__}: {str(error)[:300]}"
                data = results["datasets"].get(key)
                if data and data.get("views") and "error" not in data:
                    data["failure"] = problem   # views measured before it stay
                else:
                    data = {"backend": backend, "orders": orders, "error": problem}
            save(data)
    text = render.markdown(results)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print(render.summary(results))
    log(f"wrote {args.out} and {results_path}")
    return 0


def combine(paths: list[Path], results_path: Path, out: Path) -> int:
    """Merge result files (later files win, view by view) and render them."""
    merged: dict = {}
    commands = []
    for path in paths:
        part = json.loads(path.read_text())
        commands.append(part.get("command", ""))
        datasets = merged.get("datasets", {})
        merged = {**merged, **{k: v for k, v in part.items() if k != "datasets"}}
        for key, data in part.get("datasets", {}).items():
            old = datasets.get(key)
            if old and "views" in old and "views" in data:
                data = {**old, **data, "views": {**old["views"], **data["views"]}}
            datasets[key] = data
        merged["datasets"] = datasets
        merged.setdefault("load_start", part.get("load_start"))
    merged["command"] = " ; ".join(c for c in commands if c)
    results_path.write_text(json.dumps(merged, indent=1))
    out.write_text(render.markdown(merged))
    print(render.summary(merged))
    return 0


if __name__ == "__main__":
    sys.exit(main())
