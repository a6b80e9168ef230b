"""The report's figures against an independent pandas computation over a seeded demo.

The hand-worked modules pin each reading of SPEC; this one checks that the SQL and a
straightforward reading of SPEC agree on realistic data (SQLite only, a few thousand rows).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from lib.db import make_engine
from lib.kpi.filters import KpiFilters
from lib.report import snapshot

START, END, AS_OF = date(2026, 1, 1), date(2026, 3, 15), datetime(2026, 3, 20, 12, 0, 0)
A = pd.Timestamp(AS_OF)
RESETS = ["cleaning", "maintenance", "filter_change"]
INTERVALS = {"water_purifier": 180, "air_conditioner": 365, "range_hood": 365}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(snapshot, tables): the report and the raw tables of a 5,000-order seeded demo."""
    from lib.bootstrap import build_demo_database
    url = f"sqlite:///{tmp_path_factory.mktemp('cross') / 'service.db'}"
    build_demo_database(url, orders=5000, seed=3, end=date(2026, 3, 31))
    engine = make_engine(url)
    try:
        snap = snapshot(engine, KpiFilters(START, END, AS_OF))
        names = ["service_orders", "cities", "communities", "ratings", "members", "appliances",
                 "engineers"]
        tables = {name: pd.read_sql_table(name, engine) for name in names}
    finally:
        engine.dispose()
    return snap, tables


def _orders(t):
    o = t["service_orders"]
    o = o[o.created_at <= A]
    cancelled = o.cancelled_at.notna() & (o.cancelled_at <= A)
    in_range = (o.created_at >= pd.Timestamp(START)) & \
        (o.created_at < pd.Timestamp(END + timedelta(days=1)))
    return o, cancelled, in_range


def test_orders(demo):
    snap, t = demo
    o, cancelled, in_range = _orders(t)
    assert snap["orders"]["total"] == int((in_range & ~cancelled).sum())
    assert snap["orders"]["cancelled"] == int((in_range & cancelled).sum())
    assert snap["orders"]["by_source"] == o[in_range & ~cancelled].source.value_counts().to_dict()


def test_sla(demo):
    snap, t = demo
    o, cancelled, in_range = _orders(t)
    x = o[in_range & ~cancelled & (o.service_type == "install")]
    city = x.community_id.map(t["communities"].set_index("id").city_id)
    since = pd.to_datetime(city.map(t["cities"].set_index("id").sla_24h_since))
    x = x[since.notna() & (since <= x.created_at.dt.normalize())]
    due = x.created_at.dt.normalize() + pd.to_timedelta(
        x.created_at.dt.hour.map(lambda h: 24 if h < 11 else 36), unit="h")
    done = x.completed_at.notna() & (x.completed_at <= A)
    met = done & (x.completed_at <= due)
    breached = (done & (x.completed_at > due)) | (~done & (A > due))
    assert len(x) > 50, "the demo should have eligible installs in the range"
    assert (snap["sla"]["eligible"], snap["sla"]["met"], snap["sla"]["breached"]) == \
        (len(x), int(met.sum()), int(breached.sum()))


def test_engineers(demo):
    snap, t = demo
    o, _, _ = _orders(t)
    w = t["ratings"].merge(o[["id", "engineer_id", "cancelled_at"]], left_on="order_id",
                           right_on="id")
    w = w[(w.rated_at >= A - timedelta(days=90)) & (w.rated_at <= A) & w.engineer_id.notna()
          & ~(w.cancelled_at.notna() & (w.cancelled_at <= A))]
    counts = w.groupby("engineer_id").stars.agg(["count", "sum"])
    engineers = t["engineers"]
    expected = {}
    for i in engineers[engineers.registered_at <= A].id:
        n, s = (int(counts.loc[i, "count"]), int(counts.loc[i, "sum"])) if i in counts.index \
            else (0, 0)
        avg = s / n if n else None
        level = None if n < 10 else next((lv for lv, th in ((5, 4.8), (4, 4.5), (3, 4.0), (2, 3.0))
                                          if avg >= th), 1)
        expected[int(i)] = (n, avg, level)
    got = {e["engineer_id"]: (e["ratings"], e["avg_stars"], e["star_level"])
           for e in snap["engineers"]}
    assert got == expected


def test_communities(demo):
    snap, t = demo
    o, cancelled, in_range = _orders(t)
    m = t["members"]
    members = m[(m.joined_at <= A) & (m.left_at.isna() | (m.left_at > A))]
    ap = t["appliances"]
    ap = ap[(ap.purchased_at <= A) & ap.member_id.isin(members.id) & ap.category.isin(INTERVALS)]
    resets = o[o.service_type.isin(RESETS) & o.completed_at.notna() & (o.completed_at <= A)
               & ~(o.cancelled_at.notna() & (o.cancelled_at <= A))]
    last = ap.id.map(resets.groupby("appliance_id").completed_at.max()).fillna(ap.purchased_at)
    due = ap[(A - last) > pd.to_timedelta(ap.category.map(INTERVALS), unit="D")]
    due_by = due.member_id.map(members.set_index("id").community_id).value_counts()
    kept = o[in_range & ~cancelled]
    stars = t["ratings"][t["ratings"].rated_at <= A].merge(
        kept[["id", "community_id"]], left_on="order_id", right_on="id") \
        .groupby("community_id").stars.mean()
    orders_by = kept.community_id.value_counts()
    members_by = members.community_id.value_counts()
    assert int(due_by.sum()) > 0, "the demo should have maintenance due"
    for row in snap["communities"]:
        i = row["community_id"]
        assert row["orders"] == int(orders_by.get(i, 0)), i
        assert row["members"] == int(members_by.get(i, 0)), i
        assert row["maintenance_due"] == int(due_by.get(i, 0)), i
        assert row["avg_stars"] == pytest.approx(stars[i]) if i in stars.index \
            else row["avg_stars"] is None, i


def test_retention(demo):
    snap, t = demo
    o, cancelled, _ = _orders(t)
    m = t["members"]
    expected = []
    for first in pd.date_range(START, END, freq="MS"):
        cohort = m[(m.joined_at >= first) & (m.joined_at < first + pd.offsets.MonthBegin(1))
                   & (m.joined_at <= A)]
        if cohort.empty:
            continue
        retained, active = [], []
        for k in range(12):
            begin, end = first + pd.DateOffset(months=k), first + pd.DateOffset(months=k + 1)
            if end > A:
                retained.append(None)
                active.append(None)
                continue
            retained.append((cohort.left_at.isna() | (cohort.left_at >= end)).sum() / len(cohort))
            month = o[(o.created_at >= begin) & (o.created_at < end) & ~cancelled
                      & o.member_id.isin(cohort.id)]
            active.append(month.member_id.nunique() / len(cohort))
        expected.append({"cohort": first.strftime("%Y-%m"), "members": len(cohort),
                         "retained": retained, "active": active})
    assert snap["retention"] == expected
