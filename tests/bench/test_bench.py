"""The benchmark machinery at a tiny size: it runs, and its three ways agree.

A comparison against the naive way and the SQL floor is only honest if all
three compute the same figures; this checks that on a 2,000-order database
for both views, plus the snapshot command's JSON and the rendered report.
The timings themselves are not checked here (see docs/benchmarks.md).
"""
from __future__ import annotations

import json

import pytest

from bench import datasets, render
from bench.run import run_dataset

TINY = 2_000


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bench")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(datasets, "DATA_DIR", directory)
        data = run_dataset("sqlite", TINY, runs=1, naive_runs=1, views=["90d", "all"],
                           skip_pages=True)
        # cached: a second call finds the file and does not rebuild it
        built = datasets.sqlite_path(TINY).stat().st_mtime_ns
        datasets.sqlite_url(TINY)
        assert datasets.sqlite_path(TINY).stat().st_mtime_ns == built, "database was rebuilt"
    return {"machine": {"nproc": 2, "ram_gb": 1, "cpu": "test", "python": "3", "sqlite": "3",
                        "sqlalchemy": "2", "pandas": "3"},
            "seed": datasets.SEED, "end": datasets.END.isoformat(), "runs": 1, "naive_runs": 1,
            "command": "test", "datasets": {f"sqlite:{TINY}": data}}


@pytest.mark.parametrize("view", ["90d", "all"])
@pytest.mark.parametrize("kpi", ["orders", "sla", "engineers", "retention", "communities"])
def test_library_naive_and_floor_agree(results, view, kpi):
    entry = results["datasets"][f"sqlite:{TINY}"]["views"][view]["kpis"][kpi]
    assert set(entry) >= {"library", "naive", "floor"}, f"{kpi} {view}: a way was not measured"
    assert entry["agree"], f"{kpi} {view}: figures differ: {json.dumps(entry.get('disagree'))}"


@pytest.mark.parametrize("view", ["90d", "all"])
def test_snapshot_command_matches_library(results, view):
    snap = results["datasets"][f"sqlite:{TINY}"]["views"][view]["snapshot"]
    assert snap["agrees_with_library"], f"{view}: lib.report JSON differs from the library"
    assert all(mb > 0 for mb in snap["peak_rss_mb"]), "peak RSS of the snapshot not measured"


def test_every_kpi_function_was_timed(results):
    functions = results["datasets"][f"sqlite:{TINY}"]["views"]["90d"]["functions"]
    assert len(functions) >= 25, f"only {len(functions)} KPI functions timed"
    assert all(t["cold"] and t["warm"] for t in functions.values()), "a function has no timing"


def test_report_renders_every_target(results):
    text = render.markdown(results)
    assert "## The machine" in text and "## How to reproduce" in text, "report sections missing"
    assert "figures agree" in text and ("✅" in text or "❌" in text), "no verdicts in the report"
    assert "orders.order_totals" in text, "KPI function table missing"


def _figures(*, slow_function: float, snapshot: list[float]) -> dict:
    kpi = {"library": [0.1], "naive": [2.0], "floor": [0.08], "agree": True}
    return {"functions": {"a.fast": {"cold": [0.2]}, "a.slow": {"cold": [slow_function]}},
            "snapshot": {"wall": snapshot, "peak_rss_mb": [140.0, 150.0],
                         "agrees_with_library": True},
            "kpis": {"orders": kpi, "sla": {**kpi, "library": [0.5], "floor": [0.1]}},
            "pages": {"pages/1_Orders.py": {"cold_median": 0.9, "warm_median": 0.1}}}


def test_glance_shows_the_worst_figure_of_each_kind_against_its_target():
    """Hand-made figures: the whole history may take 3× as long; the SLA KPI is the
    slowest against naive (2.0 / 0.5 = 4×) and against the floor (0.5 / 0.1 = 5×)."""
    results = {"datasets": {"sqlite:1000000": {
        "backend": "sqlite", "orders": 1_000_000,
        "views": {"90d": _figures(slow_function=1.5, snapshot=[4.0, 6.0, 4.5]),
                  "all": _figures(slow_function=1.5, snapshot=[14.0, 16.0, 16.5])}}}}
    rows = render.glance(results).splitlines()[2:]
    recent, history = (row.split(" | ") for row in rows)
    assert recent[1] == "1.50 s ❌ `a.slow`"       # over 1 s
    assert history[1] == "1.50 s ✅ `a.slow`"      # under 3 s
    assert recent[2] == "4.50 s ✅" and history[2] == "16.00 s ❌"   # medians against 5 s / 15 s
    assert recent[3] == "150 MB ✅"
    assert recent[4] == "0.90 s ✅ 1_Orders.py" and recent[5] == "0.10 s ✅ 1_Orders.py"
    assert recent[6] == "4× ❌ sla" and history[6] == "4× ✅ sla"   # ≥ 10× / ≥ 3.33×
    assert recent[7] == "5.00× ❌ sla" and history[7] == "5.00× ✅ sla"   # ≤ 2× / ≤ 6×
    assert recent[8] == "✅ |"


def test_five_million_orders_are_held_to_their_own_snapshot_target():
    """At 5,000,000 orders the snapshot's target is 10 s, not the 5 s of 1,000,000."""
    figures = {**_figures(slow_function=0.5, snapshot=[5.8, 5.9, 5.7]), "functions": {}}
    results = {"datasets": {"sqlite:5000000": {"backend": "sqlite", "orders": 5_000_000,
                                               "views": {"90d": figures}}}}
    assert render.glance(results).splitlines()[2].split(" | ")[2] == "5.80 s ✅"
    snapshot_rows = [line for line in render.markdown({
        **results, "machine": {"nproc": 2, "ram_gb": 1, "cpu": "test", "python": "3", "sqlite": "3",
                               "sqlalchemy": "2", "pandas": "3"},
        "seed": 1, "end": "2026-06-30", "runs": 1, "naive_runs": 1,
        "datasets": {"sqlite:5000000": {**results["datasets"]["sqlite:5000000"],
                                        "load_before": "", "load_after": "", "finished_at": "",
                                        "bench_peak_rss_mb": 1.0}}}).splitlines()
        if line.startswith("| 90d | 5.80 |")]
    assert snapshot_rows and snapshot_rows[0].endswith("✅ |")


@pytest.mark.parametrize("columnar", [False, True])
def test_analytical_path_gives_the_library_figures(tmp_path, columnar):
    """DuckDB over the SQLite file in place, and over its Parquet copy, computes exactly
    the library's five sections (bench/analytical.py, the figures of bench.focus)."""
    from datetime import date

    from bench import analytical, floor, library
    from bench.run import canonical
    from bench.views import VIEWS
    from lib.bootstrap import build_demo_database
    from lib.db import make_engine

    url = f"sqlite:///{tmp_path / 'service.db'}"
    build_demo_database(url, orders=TINY, seed=5, end=date(2026, 6, 30))
    directory = tmp_path / "parquet"
    if columnar:
        assert analytical.export(url, directory)["mb"] > 0
    engine = make_engine(url)
    bind = analytical.connect(url, parquet_dir=directory if columnar else None)
    try:
        for view, f in VIEWS.items():
            for kpi, section in floor.SECTIONS.items():
                assert canonical(section(bind, f)) == canonical(library.SECTIONS[kpi](engine, f)), \
                    f"{kpi} {view}"
    finally:
        bind.connection.close()
        engine.dispose()


def test_lib_kpi_on_duckdb_gives_the_same_figures(tmp_path):
    """`lib.kpi` itself, on a DuckDB engine over the Parquet copy (the path a product
    would ship, measured by bench.focus), computes exactly what it computes on SQLite."""
    from datetime import date

    from bench import analytical, library
    from bench.run import canonical
    from bench.views import VIEWS
    from lib.bootstrap import build_demo_database
    from lib.db import make_engine

    url = f"sqlite:///{tmp_path / 'service.db'}"
    build_demo_database(url, orders=TINY, seed=5, end=date(2026, 6, 30))
    analytical.export(url, tmp_path / "parquet")
    sqlite, duck = make_engine(url), analytical.library_engine(tmp_path / "parquet")
    try:
        for view, f in VIEWS.items():
            for kpi, section in library.SECTIONS.items():
                expected = canonical(section(sqlite, f))
                assert expected and canonical(section(duck, f)) == expected, f"{kpi} {view}"
    finally:
        sqlite.dispose()
        duck.dispose()
