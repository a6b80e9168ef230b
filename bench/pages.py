"""Every page rendered through Streamlit's AppTest, signed in as admin.

    python -m bench.pages --db URL --view 90d|all --runs 5   (prints JSON)

Runs in a process of its own (the bench starts it) because the console reads
its database URL from the environment. The clock the pages see is set to the
bench's end day (23:59:59), so the default view is the bench's 90-day view;
for the whole history the session's filter choice is a custom range.

- cold: Streamlit's data and resource caches and the engine cache emptied,
  a new AppTest session, one run (the page's first render);
- warm: a second run of that same session (every KPI figure now cached).

One untimed render of every page first pays for Python imports and script
compilation, which a running server has paid once at start.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime, time as dtime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _page_number(path: Path) -> int:
    return int(path.name.split("_", 1)[0])


# Every page of the console, the home page first: the admin and business pages read
# the same database as the KPI pages, so they are held to the same targets.
PAGES = ("Home.py", *(f"pages/{p.name}" for p in
                      sorted((ROOT / "pages").glob("[0-9]*_*.py"), key=_page_number)))
COOKIE_KEY = "bench-only-cookie-key-" + "x" * 40


def _setup(url: str) -> None:
    os.environ["SERVICE_DB_URL"] = url
    os.environ["CONSOLE_COOKIE_KEY"] = COOKIE_KEY
    os.environ["CONSOLE_LANGUAGE"] = "en"
    from bench.views import AS_OF
    from lib.ui import filters, home
    now = datetime.combine(AS_OF.date() - timedelta(days=1), dtime(23, 59, 59))
    filters.now_local = home.now_local = lambda: now


def _clear_caches() -> None:
    import streamlit as st
    from lib.db.engine import _cached_engine
    st.cache_data.clear()
    st.cache_resource.clear()
    _cached_engine.cache_clear()


def _open(path: str, view: str):
    from streamlit.testing.v1 import AppTest
    from lib.auth.demo_users import DEMO_USERS
    from lib.auth.sessions import start_session
    from lib.auth.users import find_user
    from lib.db import get_engine
    from lib.ui.filters import STATE_KEY, FilterState
    from bench.views import VIEWS
    app = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=600)
    app.switch_page(path)
    app.session_state["language"] = "en"
    user = find_user(get_engine(), DEMO_USERS["admin"]["username"])
    sid, _ = start_session(get_engine(), user=user)
    for key, value in {"authentication_status": True, "username": user.username,
                       "name": user.display_name, "roles": list(user.roles),
                       "console_sid": sid}.items():
        app.session_state[key] = value
    if view == "all":
        f = VIEWS["all"]
        app.session_state[STATE_KEY] = FilterState(preset="custom", start=f.start, end=f.end)
    return app


def _render(app) -> tuple[float, float]:
    """(wall, CPU of this process: the script runs in a thread of it)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    app.run()
    elapsed = time.perf_counter() - started, time.process_time() - cpu_started
    if app.exception:
        raise RuntimeError(f"page raised: {app.exception[0].message}")
    errors = [e.value for e in app.error]
    if errors:
        raise RuntimeError(f"page showed an error: {errors[0]}")
    return elapsed


def _map_bytes(app) -> int:
    """Bytes of the maps' specifications the page sends to the browser (its deck JSON)."""
    return sum(len(deck.proto.json.encode()) for deck in app.get("deck_gl_json_chart"))


MAP_PAGE = "pages/5_Communities.py"


def _city_view(view: str, runs: int) -> dict:
    """The community map zoomed into the city with the most communities (Ningbo in the
    demo data): cold render and the bytes its map sends."""
    from sqlalchemy import func, select
    from lib.db import get_engine, schema as s
    from lib.ui.community_map import CITY_KEY
    c = s.communities
    with get_engine().connect() as connection:
        city_id = connection.execute(select(c.c.city_id).group_by(c.c.city_id)
                                     .order_by(func.count().desc(), c.c.city_id).limit(1)).scalar()
    walls, cpus, sent = [], [], 0
    for _ in range(runs):
        _clear_caches()
        app = _open(MAP_PAGE, view)
        app.session_state[CITY_KEY] = int(city_id)
        wall, cpu = _render(app)
        walls.append(wall)
        cpus.append(cpu)
        sent = _map_bytes(app)
    return {"city_id": int(city_id), "cold": walls, "cold_cpu": cpus,
            "cold_median": statistics.median(walls), "map_bytes": sent}


def measure(url: str, view: str, runs: int) -> dict:
    _setup(url)
    for path in PAGES:  # imports and script compilation, untimed
        _clear_caches()
        _render(_open(path, view))
    result = {}
    for path in PAGES:
        cold, warm = [], []
        for _ in range(runs):
            _clear_caches()
            app = _open(path, view)
            cold.append(_render(app))
            warm.append(_render(app))
        sent = _map_bytes(app)
        result[path] = {"cold": [w for w, _ in cold], "warm": [w for w, _ in warm],
                        "cold_cpu": [c for _, c in cold], "warm_cpu": [c for _, c in warm],
                        "cold_median": statistics.median(w for w, _ in cold),
                        "warm_median": statistics.median(w for w, _ in warm),
                        "cold_cpu_median": statistics.median(c for _, c in cold),
                        "warm_cpu_median": statistics.median(c for _, c in warm)}
        if sent:
            result[path]["map_bytes"] = sent
        if path == MAP_PAGE:
            result[path]["city_view"] = _city_view(view, runs)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--db", required=True)
    parser.add_argument("--view", choices=("90d", "all"), default="90d")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.db, args.view, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
