"""One benchmark run over (backend, orders) pairs; results as a plain dict (JSON-able)."""
from __future__ import annotations

import json
import math
import sys
import time

from bench import datasets, floor, library, measure, naive
from bench.views import VIEWS

WAYS = {"library": library.SECTIONS, "naive": naive.SECTIONS, "floor": floor.SECTIONS}


def canonical(value):
    """JSON text with floats rounded to 12 significant digits, for comparing figures."""
    def fix(v):
        if isinstance(v, float):
            return None if math.isnan(v) else float(f"{v:.12g}")
        if isinstance(v, dict):
            return {str(k): fix(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [fix(x) for x in v]
        return v
    return json.dumps(fix(value), sort_keys=True)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_dataset(backend: str, orders: int, *, runs: int, naive_runs: int, views: list[str],
                skip_pages: bool = False, skip_naive: bool = False,
                skip_functions: bool = False, previous: dict | None = None,
                on_view=None) -> dict:
    """Measure each view; `previous` (an earlier result of this dataset) keeps the views
    not measured now; `on_view(out)` is called after each view (to save as we go)."""
    url = datasets.database_url(backend, orders)
    out: dict = {"backend": backend, "orders": orders, "url": url.split("@")[-1],
                 "load_before": measure.load_average(),
                 "views": dict((previous or {}).get("views", {}))}
    probe = measure.make_engine(url)
    try:
        engineer_id = library._engineer_id(probe, VIEWS["90d"])
    finally:
        probe.dispose()
    for view in views:
        f = VIEWS[view]
        result: dict = {"functions": {}, "kpis": {}, "load_before": measure.load_average()}
        if not skip_functions:
            for name, call in library.functions(engineer_id).items():
                cold_times, cold_cpu, _ = measure.cold(url, call, f, runs)
                warm_times, warm_cpu = measure.warm(url, call, f, runs)
                result["functions"][name] = {"cold": cold_times, "warm": warm_times,
                                             "cold_cpu": cold_cpu, "warm_cpu": warm_cpu}
                log(f"  {backend} {orders} {view} {name}: cold {measure.median(cold_times):.3f} s"
                    f" (cpu {measure.median(cold_cpu):.3f}) warm {measure.median(warm_times):.3f} s")
        for kpi in library.SECTIONS:
            entry, texts = {}, {}
            for way, sections in WAYS.items():
                if way == "naive" and skip_naive:
                    continue
                times, cpu, figures = measure.cold(url, sections[kpi], f,
                                                   naive_runs if way == "naive" else runs)
                entry[way] = times
                entry[f"{way}_cpu"] = cpu
                texts[way] = canonical(figures)
            entry["agree"] = len(set(texts.values())) == 1
            if not entry["agree"]:
                entry["disagree"] = {w: t[:300] for w, t in texts.items()}
            result["kpis"][kpi] = entry
            log(f"  {backend} {orders} {view} KPI {kpi}: " + ", ".join(
                f"{w} {measure.median(entry[w]):.3f} s" for w in WAYS if w in entry)
                + f", agree={entry['agree']}")
            result.setdefault("_sections", {})[kpi] = texts["library"]
        snap = measure.snapshot(url, f, runs)
        sections = {k: json.loads(v) for k, v in result.pop("_sections").items()}
        snap["agrees_with_library"] = all(
            canonical(snap["output"][k]) == canonical(sections[k]) for k in sections)
        snap.pop("output")
        result["snapshot"] = snap
        log(f"  {backend} {orders} {view} snapshot: {measure.median(snap['wall']):.3f} s, "
            f"peak {max(snap['peak_rss_mb']):.0f} MB, agrees={snap['agrees_with_library']}")
        if not skip_pages:
            result["pages"] = measure.pages(url, view, runs)
            for page, p in result["pages"].items():
                log(f"  {backend} {orders} {view} {page}: cold {p['cold_median']:.3f} s"
                    f" warm {p['warm_median']:.3f} s")
        result["load_after"] = measure.load_average()
        result["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
        result["runs"], result["naive_runs"] = runs, naive_runs
        out["views"][view] = result
        if on_view is not None:
            out["load_after"] = measure.load_average()
            out["bench_peak_rss_mb"] = measure.self_peak_mb()
            out["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
            on_view(out)
    out["load_after"] = measure.load_average()
    out["bench_peak_rss_mb"] = measure.self_peak_mb()
    out["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return out
