"""KPI 1, order volume, and the home overview, on hand-worked rows.

Range 2026-03-01 (a Sunday) .. 2026-03-07, as-of 2026-03-10 00:00:00.
    a  03-01 00:00:00  X b1 install  own_sales      wechat                 -> counted
    b  03-07 23:59:59  Y b2 repair   partner_brand  app                    -> counted
    c  03-08 00:00:00  after the range
    d  02-28 23:59:59  previous period;  i 02-22 00:00:00 previous;  j 02-21 23:59:59 neither
    e  03-03 12:00     X b1 cleaning member_request phone, cancelled 03-04  -> cancelled
    f  03-03 13:00:00  X b1 install  own_sales wechat, completed 03-03 15:00 and
                       cancelled 03-05                                       -> cancelled
    g  03-03 14:00     Y b2 install  own_sales store, cancelled 03-20 (after as-of) -> counted
So: orders 3 (a, b, g), cancelled 2 (e, f); previous period 2 (d, i).
"""
from datetime import date, datetime

import pytest

from lib.errors import ValidationFailed
from lib.kpi.filters import KpiFilters
from lib.kpi.orders import order_totals, orders_by, orders_by_day, orders_change, orders_cube, orders_over_time
from lib.kpi.overview import home_overview
from lib.kpi.sla import SlaSummary

AS_OF = datetime(2026, 3, 10)


def build(make):
    x, y = make.city(), make.city()
    cx, cy = make.community(city_id=x), make.community(city_id=y)
    b1, b2 = make.brand(), make.brand()
    member = make.member(community_id=cx)

    def order(created, community, brand, service_type, source, channel, **more):
        return make.order(created_at=created, community_id=community, brand_id=brand,
                          member_id=member, service_type=service_type, source=source,
                          channel=channel, **more)
    order(datetime(2026, 3, 1, 0, 0, 0), cx, b1, "install", "own_sales", "wechat")  # a
    order(datetime(2026, 3, 7, 23, 59, 59), cy, b2, "repair", "partner_brand", "app")  # b
    order(datetime(2026, 3, 8, 0, 0, 0), cx, b1, "install", "own_sales", "wechat")  # c
    order(datetime(2026, 2, 28, 23, 59, 59), cx, b1, "install", "own_sales", "wechat")  # d
    order(datetime(2026, 2, 22, 0, 0, 0), cx, b1, "install", "own_sales", "wechat")  # i
    order(datetime(2026, 2, 21, 23, 59, 59), cx, b1, "install", "own_sales", "wechat")  # j
    order(datetime(2026, 3, 3, 12, 0), cx, b1, "cleaning", "member_request", "phone",
          cancelled_at=datetime(2026, 3, 4))  # e
    order(datetime(2026, 3, 3, 13, 0, 0), cx, b1, "install", "own_sales", "wechat",
          completed_at=datetime(2026, 3, 3, 15), cancelled_at=datetime(2026, 3, 5))  # f
    order(datetime(2026, 3, 3, 14, 0), cy, b2, "install", "own_sales", "store",
          cancelled_at=datetime(2026, 3, 20))  # g
    make.certification(status="pending", applied_at=datetime(2026, 3, 1))
    make.certification(status="pending", applied_at=datetime(2026, 3, 4))   # after as-of below
    make.certification(status="approved", applied_at=datetime(2026, 3, 1))
    make.trade_in_request(member_id=member, status="pending", reported_at=datetime(2026, 3, 2))
    make.trade_in_request(member_id=member, status="rejected", reported_at=datetime(2026, 3, 2))
    return {"x": x, "y": y, "b1": b1, "b2": b2}


def _filters(**more):
    return KpiFilters(date(2026, 3, 1), date(2026, 3, 7), AS_OF, **more)


def test_totals(hand_built_db):
    engine, _ = hand_built_db
    assert (order_totals(engine, _filters()).orders, order_totals(engine, _filters()).cancelled) \
        == (3, 2)


def test_rows_created_after_as_of_do_not_exist(hand_built_db):
    # as-of 03-03 13:00:00: a, e (its cancellation is later), f (created at as-of) exist; g not.
    engine, _ = hand_built_db
    totals = order_totals(engine, _filters().replace(as_of=datetime(2026, 3, 3, 13, 0, 0)))
    assert (totals.orders, totals.cancelled) == (3, 0)


@pytest.mark.parametrize("filter_,orders,cancelled", [
    ({"city_ids": "y"}, 2, 0),          # b, g
    ({"brand_ids": "b1"}, 1, 2),        # a; e, f
    ({"service_types": ("install",)}, 2, 1),  # a, g; f
    ({"sources": ("partner_brand",)}, 1, 0),  # b
])
def test_filters(hand_built_db, filter_, orders, cancelled):
    engine, ids = hand_built_db
    (name, value), = filter_.items()
    value = (ids[value],) if isinstance(value, str) else value
    totals = order_totals(engine, _filters(**{name: value}))
    assert (totals.orders, totals.cancelled) == (orders, cancelled)


def test_by_day_lists_every_day(hand_built_db):
    engine, _ = hand_built_db
    frame = orders_over_time(engine, _filters(), grain="day")
    assert list(frame["period"]) == [date(2026, 3, d) for d in range(1, 8)]
    assert list(frame["orders"]) == [1, 0, 1, 0, 0, 0, 1]   # a; g; b
    assert list(frame["cancelled"]) == [0, 0, 2, 0, 0, 0, 0]  # e, f


def test_by_week_and_month(hand_built_db):
    engine, _ = hand_built_db
    weeks = orders_over_time(engine, _filters(), grain="week")
    # 03-01 is a Sunday: its ISO week starts 02-23; 03-02..03-07 is the next week.
    assert weeks.values.tolist() == [[date(2026, 2, 23), 1, 0], [date(2026, 3, 2), 2, 2]]
    months = orders_over_time(engine, _filters(), grain="month")
    assert months.values.tolist() == [["2026-03", 3, 2]]


def test_split_over_time(hand_built_db):
    engine, _ = hand_built_db
    frame = orders_over_time(engine, _filters(), grain="day", dimension="source")
    assert frame.values.tolist() == [
        [date(2026, 3, 1), "own_sales", 1, 0], [date(2026, 3, 3), "member_request", 0, 1],
        [date(2026, 3, 3), "own_sales", 1, 1], [date(2026, 3, 7), "partner_brand", 1, 0]]


@pytest.mark.parametrize("dimension,expected", [
    ("source", [("member_request", 0, 1), ("own_sales", 2, 1), ("partner_brand", 1, 0)]),
    ("service_type", [("cleaning", 0, 1), ("install", 2, 1), ("repair", 1, 0)]),
    ("channel", [("app", 1, 0), ("phone", 0, 1), ("store", 1, 0), ("wechat", 1, 1)]),
    ("city", [("x", 1, 2), ("y", 2, 0)]),
    ("brand", [("b1", 1, 2), ("b2", 2, 0)]),
])
def test_orders_by(hand_built_db, dimension, expected):
    engine, ids = hand_built_db
    frame = orders_by(engine, _filters(), dimension)
    expected = [(ids.get(k, k), o, c) for k, o, c in expected]
    assert list(zip(frame["key"], frame["orders"], frame["cancelled"])) == expected


def test_change_against_previous_period(hand_built_db):
    engine, _ = hand_built_db
    change = orders_change(engine, _filters())
    assert (change.current, change.previous, change.change, change.change_ratio) == (3, 2, 1, 0.5)


def test_bad_grain_and_dimension(hand_built_db):
    engine, _ = hand_built_db
    with pytest.raises(ValidationFailed):
        orders_over_time(engine, _filters(), grain="year")
    with pytest.raises(ValidationFailed):
        orders_by(engine, _filters(), "member")


def test_home_overview(hand_built_db):
    # as-of 03-03 13:00:00. Today: e (cancelled later), f (created at as-of) = 2.
    # Month: a, e, f = 3. SLA this month: a (due 03-02 00:00, open) breached;
    # f (due 03-04 12:00) pending. Certifications: one pending applied by as-of.
    engine, _ = hand_built_db
    view = home_overview(engine, datetime(2026, 3, 3, 13, 0, 0))
    assert (view.today_orders, view.month_orders) == (2, 3)
    assert view.month_sla == SlaSummary(eligible=2, met=0, breached=1, pending=1, compliance=0.0)
    assert (view.pending_certifications, view.pending_trade_ins) == (1, 1)


def test_cube_sums_to_the_single_splits(hand_built_db):
    engine, _ = hand_built_db
    f = _filters()
    cube = orders_cube(engine, f)
    totals = order_totals(engine, f)
    assert (int(cube["orders"].sum()), int(cube["cancelled"].sum())) == (totals.orders, totals.cancelled)
    by_day = orders_by_day(engine, f)
    per_day = cube.groupby("period")["orders"].sum()
    assert {d: int(n) for d, n in per_day.items()} == \
        {r.period: r.orders for r in by_day.itertuples() if r.orders}
    for dimension in ("source", "service_type"):
        split = orders_by(engine, f, dimension)
        assert {k: int(n) for k, n in cube.groupby(dimension)["orders"].sum().items()} == \
            {r.key: r.orders for r in split.itertuples()}
