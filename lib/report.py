"""The KPI snapshot: SPEC.md "The KPI snapshot command", as one JSON object.

    python -m lib.report --db URL --start YYYY-MM-DD --end YYYY-MM-DD [--as-of "YYYY-MM-DD HH:MM:SS"]

Only the JSON goes to standard output. Bad arguments or an unreachable
database: one line on standard error, exit status 2 (arguments) or 1 (database).
The figures come from the same `lib.kpi` functions the pages use, with the
configured KPI settings (`[kpi]` in the secrets file; SPEC's defaults without
it) and no filters beyond the range.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.engine import make_url

from lib.db import make_engine
from lib.kpi.communities import community_heat
from lib.kpi.engineers import engineer_star_levels
from lib.kpi.filters import KpiFilters
from lib.kpi.orders import orders_cube, periods
from lib.kpi.retention import retention_cohorts
from lib.errors import ValidationFailed
from lib.kpi.settings import KpiSettings, load_settings
from lib.kpi.sla import sla_by_city, summary_of
from lib.timeutil import now_local


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise _BadArguments(message)


class _BadArguments(Exception):
    pass


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _date(text: str) -> date:
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")


def _moment(text: str) -> datetime:
    try:
        if _MOMENT.fullmatch(text):
            return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"not a moment (YYYY-MM-DD HH:MM:SS): {text!r}")


def _check_sqlite_file(url: str) -> None:
    """Refuse a SQLite file that does not exist (connecting would create an empty one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).exists():
        raise FileNotFoundError(f"no SQLite database at {parsed.database}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _Parser(prog="python -m lib.report", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--start", required=True, type=_date)
    parser.add_argument("--end", required=True, type=_date)
    parser.add_argument("--as-of", dest="as_of", type=_moment, default=None)
    args = parser.parse_args(argv)
    if args.start > args.end:
        raise _BadArguments(f"--start {args.start} is after --end {args.end}")
    return args


def _num(value: Any) -> float | None:
    """A float, or None for a missing value (NaN from pandas)."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def orders_section(bind, filters: KpiFilters, settings: KpiSettings) -> dict:
    cube = orders_cube(bind, filters)  # one query; every split below is a sum of it
    per_day = cube.groupby("period")["orders"].sum()
    return {
        "total": int(cube["orders"].sum()), "cancelled": int(cube["cancelled"].sum()),
        "by_day": [{"date": day.isoformat(), "orders": int(per_day.get(day, 0))}
                   for day in periods(filters, "day")],
        "by_source": _occurring(cube.groupby("source")["orders"].sum()),
        "by_service_type": _occurring(cube.groupby("service_type")["orders"].sum()),
    }


def _occurring(counts: pd.Series) -> dict:
    """Only the keys that occur (SPEC), sorted."""
    return {key: int(n) for key, n in sorted(counts.items()) if n}


def sla_section(bind, filters: KpiFilters, settings: KpiSettings) -> dict:
    cities = sla_by_city(bind, filters, settings)
    summary = summary_of(cities)  # the same orders, not counted twice
    return {
        "eligible": summary.eligible, "met": summary.met, "breached": summary.breached,
        "pending": summary.pending, "compliance": summary.compliance,
        "by_city": [{"city_id": int(r.city_id), "met": int(r.met), "breached": int(r.breached),
                     "pending": int(r.pending), "compliance": _num(r.compliance)}
                    for r in cities.itertuples()],
    }


def engineers_section(bind, filters: KpiFilters, settings: KpiSettings) -> list:
    return [{"engineer_id": int(r.engineer_id), "ratings": int(r.ratings),
             "avg_stars": _num(r.avg_stars),
             "star_level": None if _num(r.star_level) is None else int(r.star_level)}
            for r in engineer_star_levels(bind, filters, settings).itertuples()]


def retention_section(bind, filters: KpiFilters, settings: KpiSettings) -> list:
    return [{"cohort": c.cohort, "members": c.members, "retained": c.retained,
             "active": c.active} for c in retention_cohorts(bind, filters)]


def communities_section(bind, filters: KpiFilters, settings: KpiSettings) -> list:
    return [{"community_id": int(r.community_id), "orders": int(r.orders),
             "members": int(r.members), "avg_stars": _num(r.avg_stars),
             "maintenance_due": int(r.maintenance_due)}
            for r in community_heat(bind, filters, settings).itertuples()]


# SPEC's sections in SPEC's order; the benchmark times each one.
SECTIONS = {"orders": orders_section, "sla": sla_section, "engineers": engineers_section,
            "retention": retention_section, "communities": communities_section}


def snapshot(bind, filters: KpiFilters, settings: KpiSettings | None = None) -> dict:
    """SPEC's JSON object as a dict."""
    st = settings or KpiSettings()
    return {
        "range": {"start": filters.start.isoformat(), "end": filters.end.isoformat(),
                  "as_of": filters.as_of.strftime("%Y-%m-%d %H:%M:%S")},
        **{name: section(bind, filters, st) for name, section in SECTIONS.items()},
    }


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or error.__class__.__name__
    return text[:500]


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        filters = KpiFilters(start=args.start, end=args.end, as_of=args.as_of or now_local())
        settings = load_settings()
    except (_BadArguments, ValidationFailed) as error:
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return 2
    try:
        _check_sqlite_file(args.db)
        engine = make_engine(args.db)
        try:
            with engine.connect() as connection:
                result = snapshot(connection, filters, settings)
        finally:
            engine.dispose()
    except Exception as error:  # unreachable database, bad URL, missing tables...
        print(f"error: database {error.__class__.__name__}: {_one_line(error)}", file=sys.stderr)
        return 1
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
