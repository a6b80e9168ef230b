"""The KPIs an alert rule may watch, each over a moving window of hours ending at as-of
(window start and as-of both included), in the rule's scope (city: the order's
community's city; brand: the order's brand).

- `sla_compliance` (a rate): KPI 2 over the eligible installs *due* in the window, met /
  (met + breached) as of as-of; an install due exactly at as-of and still open is
  pending and left out. By due moment, not creation, so that a 24-hour window holds
  installs whose outcome is known.
- `sla_breached` (a count): the breached ones of the same installs.
- `first_time_fix` (a rate): repairs whose 30-day follow-up window closed in the
  window, share without a repeat repair (lib.kpi.engineers).

A rate with nothing to count has no figure (None); a count of nothing is 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from lib.briefing import links
from lib.db.schema import ALERT_KPIS
from lib.kpi.common import Bind
from lib.kpi.engineers import first_time_fix_closed_since
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sla import sla_due_since

RATE, COUNT = "rate", "count"
UNITS = {"sla_compliance": RATE, "sla_breached": COUNT, "first_time_fix": RATE}
PAGES = {"sla_compliance": links.SLA, "sla_breached": links.SLA, "first_time_fix": links.ENGINEERS}
assert set(UNITS) == set(PAGES) == set(ALERT_KPIS)


@dataclass(frozen=True)
class Figure:
    value: float | None   # None: nothing to count in the window
    basis: int            # decided installs, or repairs counted


def window_start(as_of: datetime, window_hours: int) -> datetime:
    return as_of - timedelta(hours=int(window_hours))


def figure(bind: Bind, *, kpi: str, as_of: datetime, window_hours: int, city_id: int | None = None,
           brand_id: int | None = None, settings: KpiSettings | None = None) -> Figure:
    f = KpiFilters(start=as_of.date(), end=as_of.date(), as_of=as_of,
                   city_ids=(city_id,) if city_id is not None else (),
                   brand_ids=(brand_id,) if brand_id is not None else ())
    start = window_start(as_of, window_hours)
    if kpi in ("sla_compliance", "sla_breached"):
        summary = sla_due_since(bind, f, settings, due_from=start)
        decided = summary.met + summary.breached
        return Figure(summary.compliance if kpi == "sla_compliance" else float(summary.breached), decided)
    if kpi == "first_time_fix":
        fix = first_time_fix_closed_since(bind, f, closed_from=start)
        return Figure(fix.rate, fix.repairs)
    raise ValueError(f"unknown alert KPI {kpi!r}")


def holds(comparison: str, value: float | None, threshold: float) -> bool | None:
    """The rule's condition: strictly under / over the threshold; None without a figure."""
    if value is None:
        return None
    return value < threshold if comparison == "under" else value > threshold
