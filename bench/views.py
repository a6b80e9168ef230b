"""The two views every figure is measured for, fixed so runs are comparable."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from lib.kpi.filters import KpiFilters

from bench.datasets import END

AS_OF = datetime.combine(END + timedelta(days=1), time())   # the end day is over
HISTORY_START = END - timedelta(days=365 * 3)                # the builder's first day

VIEWS = {
    "90d": KpiFilters(start=END - timedelta(days=89), end=END, as_of=AS_OF),
    "all": KpiFilters(start=HISTORY_START, end=END, as_of=AS_OF),
}
VIEW_TITLES = {"90d": "last 90 days, all cities", "all": "whole history (3 years)"}
