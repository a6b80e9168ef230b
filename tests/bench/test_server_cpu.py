"""bench.server_cpu refuses to measure empty pages, and marks its target from the figures."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import server_cpu
from loadtest.protocol import View


class _Console:
    url = "http://127.0.0.1:1"

    def __init__(self):
        self.ticks = 0.0

    def cpu_seconds(self):
        self.ticks += 0.01
        return self.ticks


def _viewing(elements):
    async def view(url, page, cookie, timeout):
        return View(page=page, ok=True, runs=1, elements=dict(elements))
    return view


def _measure(views):
    """server_cpu.measure on a thread of its own: in the full suite the browser tests'
    session-wide Playwright keeps an event loop running on the main thread, where
    asyncio.run() refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(server_cpu.measure, _Console(), "cookie", views, 5).result()


def test_a_page_without_a_chart_is_no_measurement(monkeypatch):
    monkeypatch.setattr(server_cpu.protocol, "view", _viewing({"markdown": 3, "alert": 1}))
    monkeypatch.setattr(server_cpu, "settle", lambda console: None)
    with pytest.raises(RuntimeError, match="no chart drawn"):
        _measure(1)


def test_pages_with_charts_are_measured(monkeypatch):
    monkeypatch.setattr(server_cpu.protocol, "view", _viewing({"vega_lite_chart": 2}))
    monkeypatch.setattr(server_cpu, "settle", lambda console: None)
    cpu = _measure(2)
    assert set(cpu) == set(server_cpu.KPI_PAGES)
    assert all(len(v) == 2 and all(x == pytest.approx(0.01) for x in v) for v in cpu.values())


def _run(seconds):
    return {"db_label": "db", "views": 3, "load": "0.1 0.1 0.1", "profile": None,
            "cpu": {page: [seconds[i]] * 3 for i, page in enumerate(server_cpu.KPI_PAGES)}}


@pytest.mark.parametrize("seconds, verdict", [
    ((0.05, 0.06, 0.07, 0.08, 0.10), "| met |"),          # the slowest page at the target: met
    ((0.05, 0.06, 0.07, 0.08, 0.11), "| **missed** |"),   # one page over it: missed, whatever the mean
])
def test_the_verdict_is_on_the_slowest_page(seconds, verdict):
    rows = [line for line in server_cpu.table({"this run": _run(seconds)}) if line.startswith("| this run |")]
    assert len(rows) == 1 and verdict in rows[0]
