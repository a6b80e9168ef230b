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
