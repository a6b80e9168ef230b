"""The naive way: read whole tables into pandas (`pd.read_sql_table`), compute there.

This is what a page written without the KPI library would do: each KPI reads
the tables it needs in full and filters, joins and groups in pandas. Each
function returns its KPI shaped as `python -m lib.report` prints it, so the
figures can be checked against the library's (they must be equal).
"""
from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import numpy as np
import pandas as pd

from lib.kpi.retention import MONTHS, add_months, cohort_months
from lib.kpi.settings import KpiSettings

ST = KpiSettings()
RESET_SERVICES = ("cleaning", "maintenance", "filter_change")


def _read(bind, table: str) -> pd.DataFrame:
    return pd.read_sql_table(table, bind)


def _happened(column: pd.Series, f) -> pd.Series:
    return column.notna() & (column < f.as_of_next)


def _created_in_range(o: pd.DataFrame, f) -> pd.Series:
    upper = min(f.range_end, f.as_of_next)
    return (o["created_at"] >= f.range_start) & (o["created_at"] < upper)


def _ratio(n, d):
    return n / d if d else None


def orders_section(bind, f) -> dict:
    o = _read(bind, "service_orders")
    o = o[_created_in_range(o, f)]
    cancelled = _happened(o["cancelled_at"], f)
    live = o[~cancelled]
    per_day = live.groupby(live["created_at"].dt.date).size()
    days = [f.start + timedelta(days=i) for i in range(f.days)]
    return {"total": int(len(live)), "cancelled": int(cancelled.sum()),
            "by_day": [{"date": d.isoformat(), "orders": int(per_day.get(d, 0))} for d in days],
            "by_source": {k: int(v) for k, v in live.groupby("source").size().sort_index().items()},
            "by_service_type": {k: int(v) for k, v in
                                live.groupby("service_type").size().sort_index().items()}}


def _sla_states(bind, f) -> pd.DataFrame:
    o = _read(bind, "service_orders")
    communities, cities = _read(bind, "communities"), _read(bind, "cities")
    o = o[_created_in_range(o, f) & (o["service_type"] == "install")
          & ~_happened(o["cancelled_at"], f)]
    o = o.merge(communities[["id", "city_id"]].rename(columns={"id": "community_id"}),
                on="community_id").merge(
        cities[["id", "sla_24h_since"]].rename(columns={"id": "city_id"}), on="city_id")
    since = pd.to_datetime(o["sla_24h_since"])
    o = o[since.notna() & (since <= o["created_at"].dt.normalize())].copy()
    before = o["created_at"].dt.hour < ST.sla_cutoff_hour
    offset = np.where(before, ST.due_offset_seconds(True), ST.due_offset_seconds(False))
    due = o["created_at"].dt.normalize() + pd.to_timedelta(offset, unit="s")
    done = _happened(o["completed_at"], f)
    o["met"] = done & (o["completed_at"] <= due)
    o["breached"] = (done & (o["completed_at"] > due)) | (~done & (due < f.as_of))
    o["pending"] = ~done & (due >= f.as_of)
    return o


def sla_section(bind, f) -> dict:
    o = _sla_states(bind, f)
    met, breached = int(o["met"].sum()), int(o["breached"].sum())
    by_city = o.groupby("city_id")[["met", "breached", "pending"]].sum().sort_index()
    return {"eligible": int(len(o)), "met": met, "breached": breached,
            "pending": int(o["pending"].sum()), "compliance": _ratio(met, met + breached),
            "by_city": [{"city_id": int(c), "met": int(r.met), "breached": int(r.breached),
                         "pending": int(r.pending),
                         "compliance": _ratio(int(r.met), int(r.met) + int(r.breached))}
                        for c, r in by_city.iterrows()]}


def star_level_by_hand(count: int, total: int):
    """SPEC's star level, written apart from lib.kpi (the floor uses it too)."""
    if count < ST.star_min_ratings:
        return None
    average = Fraction(total, count)
    for level, threshold in zip((5, 4, 3, 2), ST.star_thresholds):
        if average >= Fraction(str(threshold)):
            return level
    return 1


def engineers_section(bind, f) -> list:
    e, r, o = _read(bind, "engineers"), _read(bind, "ratings"), _read(bind, "service_orders")
    start = f.as_of - timedelta(days=ST.star_window_days)
    r = r[(r["rated_at"] >= start) & (r["rated_at"] < f.as_of_next)]
    o = o[o["engineer_id"].notna() & (o["created_at"] < f.as_of_next)
          & ~_happened(o["cancelled_at"], f)]
    rated = r.merge(o[["id", "engineer_id"]].rename(columns={"id": "order_id"}), on="order_id")
    per = rated.groupby("engineer_id")["stars"].agg(["count", "sum"])
    out = []
    for row in e[e["registered_at"] < f.as_of_next].sort_values("id").itertuples():
        count, total = (int(per.at[row.id, "count"]), int(per.at[row.id, "sum"])) \
            if row.id in per.index else (0, 0)
        out.append({"engineer_id": int(row.id), "ratings": count,
                    "avg_stars": total / count if count else None,
                    "star_level": star_level_by_hand(count, total)})
    return out


def retention_section(bind, f) -> list:
    m, o = _read(bind, "members"), _read(bind, "service_orders")
    o = o[~_happened(o["cancelled_at"], f)][["member_id", "created_at"]]
    out = []
    for start in cohort_months(f):
        ends = [add_months(start.date(), k + 1) for k in range(MONTHS)]
        ended = [end <= f.as_of for end in ends]
        cohort = m[(m["joined_at"] >= start) & (m["joined_at"] < min(ends[0], f.as_of_next))]
        size = len(cohort)
        if size == 0:
            continue
        retained = [int((cohort["left_at"].isna() | (cohort["left_at"] >= end)).sum())
                    if ok else None for end, ok in zip(ends, ended)]
        active = [None] * MONTHS
        if any(ended):
            last = max(k for k in range(MONTHS) if ended[k])
            theirs = o[o["member_id"].isin(cohort["id"]) & (o["created_at"] >= start)
                       & (o["created_at"] < ends[last])]
            counts = theirs.groupby(theirs["created_at"].dt.strftime("%Y-%m"))["member_id"].nunique()
            labels = [add_months(start.date(), k).strftime("%Y-%m") for k in range(MONTHS)]
            active = [int(counts.get(labels[k], 0)) if ended[k] else None for k in range(MONTHS)]
        out.append({"cohort": start.strftime("%Y-%m"), "members": size,
                    "retained": [None if n is None else n / size for n in retained],
                    "active": [None if n is None else n / size for n in active]})
    return out


def communities_section(bind, f) -> list:
    c, m, a = _read(bind, "communities"), _read(bind, "members"), _read(bind, "appliances")
    o, r = _read(bind, "service_orders"), _read(bind, "ratings")
    live = o[_created_in_range(o, f) & ~_happened(o["cancelled_at"], f)]
    r = r[r["rated_at"] < f.as_of_next]
    rated = live[["id", "community_id"]].merge(
        r[["order_id", "stars"]].rename(columns={"order_id": "id"}), on="id")
    n_orders = live.groupby("community_id").size()
    stars = rated.groupby("community_id")["stars"].agg(["count", "sum"])
    members = m[(m["joined_at"] < f.as_of_next) & ~_happened(m["left_at"], f)]
    n_members = members.groupby("community_id").size()
    intervals = ST.interval_days
    resets = o[o["service_type"].isin(RESET_SERVICES) & o["appliance_id"].notna()
               & (o["created_at"] < f.as_of_next) & _happened(o["completed_at"], f) & ~_happened(o["cancelled_at"], f)]
    last = resets.groupby("appliance_id")["completed_at"].max()
    a = a[a["category"].isin(list(intervals)) & (a["purchased_at"] < f.as_of_next)]
    a = a.merge(members[["id", "community_id"]].rename(columns={"id": "member_id"}), on="member_id")
    since = a["id"].map(last).fillna(a["purchased_at"])
    threshold = a["category"].map({k: f.as_of - timedelta(days=d) for k, d in intervals.items()})
    due = a[since < threshold].groupby("community_id").size()
    out = []
    for row in c.sort_values("id").itertuples():
        count, total = (int(stars.at[row.id, "count"]), int(stars.at[row.id, "sum"])) \
            if row.id in stars.index else (0, 0)
        out.append({"community_id": int(row.id), "orders": int(n_orders.get(row.id, 0)),
                    "members": int(n_members.get(row.id, 0)),
                    "avg_stars": total / count if count else None,
                    "maintenance_due": int(due.get(row.id, 0))})
    return out


SECTIONS = {"orders": orders_section, "sla": sla_section, "engineers": engineers_section,
            "retention": retention_section, "communities": communities_section}
