"""KPI 5, community heat, on hand-worked rows (June 2026, as-of 2026-07-01 12:00:00).

Members: k1: mA (stays), mB (left exactly at as-of: gone); k2: mC (joins one second after
as-of: not yet), mD (leaves after as-of: still a member). -> members k1 1, k2 1, k3 0.
mA's appliances (water_purifier 180 days, air_conditioner / range_hood 365):
    ap1  purifier bought exactly 180 days before as-of                    not due
    ap2  purifier bought 180 days and 1 second before                     due
    ap3  purifier, filter_change completed 40 days before                 not due
    ap4  purifier, cleaning completed 181 days before                     due
    ap5  AC bought 2024, its 2026-01-01 cleaning was cancelled            due
    ap6  AC bought 2024, maintenance completed 1 s after as-of            due
    ap7  AC bought 2024, maintenance completed exactly at as-of           not due
    ap8  purifier bought after as-of                                      not counted
    ap9  refrigerator bought 2020                                         never due
    ap10 range hood bought 366 days before                                due
    ap11 purifier bought 181 days before, a repair since (no reset)       due
  -> k1 due 6. mB's and mC's old purifiers do not count; mD (k2): ap14 purifier bought
  2024 due, ap15 bought 179 days before not -> k2 due 1.
Rows created after as-of do not exist, even when a wrong clock dated their completion
before as-of: k4 (mE): a purifier bought 2023-07-16 whose maintenance order was created one
second after as-of but completed 10 days before it -> still due (1). k5 (mF): an air
conditioner bought exactly 365 days before as-of, with a cleaning created after as-of and
completed 365 days and 1 s before as-of -> its clock is the purchase: not due (0).
Orders created in June: k1: o1 06-01 00:00:00 (5 stars), o2 06-30 23:59:59 (4 stars rated
exactly at as-of), o3 06-15 (1 star rated after as-of), o4 cancelled (1 star), o5 05-31
23:59:59 (out of range) -> orders 3, avg 4.5. k2: o6 by mA but in k2, brand 2 (3 stars)
-> orders 1, avg 3.0. k3 (city 2): nothing.
"""
from datetime import date, datetime, timedelta

import pandas as pd

from lib.kpi.communities import community_heat, maintenance_ranking
from lib.kpi.filters import KpiFilters

AS_OF = datetime(2026, 7, 1, 12, 0, 0)
D = datetime
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
OLD = D(2024, 1, 1)


def build(make):
    city1, city2 = make.city(), make.city()
    k1, k2, k3 = make.community(city_id=city1), make.community(city_id=city1), \
        make.community(city_id=city2)
    brand, brand2 = make.brand(), make.brand()
    ma = make.member(community_id=k1, joined_at=OLD)
    mb = make.member(community_id=k1, joined_at=OLD, left_at=AS_OF)
    mc = make.member(community_id=k2, joined_at=AS_OF + SECOND)
    md = make.member(community_id=k2, joined_at=OLD, left_at=D(2026, 8, 1))
    k4, k5 = make.community(city_id=city1), make.community(city_id=city1)
    me = make.member(community_id=k4, joined_at=OLD)
    mf = make.member(community_id=k5, joined_at=OLD)

    def appliance(member, category, bought):
        return make.appliance(member_id=member, category=category, purchased_at=bought,
                              brand_id=brand)

    def service(ap, member, community, service_type, created, completed=None, **more):
        return make.order(appliance_id=ap, member_id=member, community_id=community,
                          brand_id=more.pop("brand_id", brand), service_type=service_type,
                          created_at=created, completed_at=completed, **more)

    appliance(ma, "water_purifier", AS_OF - 180 * DAY)
    appliance(ma, "water_purifier", AS_OF - 180 * DAY - SECOND)
    ap3 = appliance(ma, "water_purifier", OLD)
    service(ap3, ma, k1, "filter_change", AS_OF - 41 * DAY, AS_OF - 40 * DAY)
    ap4 = appliance(ma, "water_purifier", OLD)
    service(ap4, ma, k1, "cleaning", AS_OF - 182 * DAY, AS_OF - 181 * DAY)
    ap5 = appliance(ma, "air_conditioner", OLD)
    service(ap5, ma, k1, "cleaning", D(2025, 12, 31), D(2026, 1, 1), cancelled_at=D(2026, 1, 2))
    ap6 = appliance(ma, "air_conditioner", OLD)
    service(ap6, ma, k1, "maintenance", D(2026, 7, 1, 10), AS_OF + SECOND)
    ap7 = appliance(ma, "air_conditioner", OLD)
    service(ap7, ma, k1, "maintenance", D(2026, 7, 1, 9), AS_OF)
    appliance(ma, "water_purifier", D(2026, 7, 2))
    appliance(ma, "refrigerator", D(2020, 1, 1))
    appliance(ma, "range_hood", AS_OF - 366 * DAY)
    ap11 = appliance(ma, "water_purifier", AS_OF - 181 * DAY)
    service(ap11, ma, k1, "repair", D(2026, 5, 1), D(2026, 5, 2))
    appliance(mb, "water_purifier", OLD)
    appliance(mc, "water_purifier", OLD)
    appliance(md, "water_purifier", OLD)
    appliance(md, "water_purifier", AS_OF - 179 * DAY)
    ap16 = appliance(me, "water_purifier", D(2023, 7, 16))
    service(ap16, me, k4, "maintenance", AS_OF + SECOND, AS_OF - 10 * DAY)
    ap17 = appliance(mf, "air_conditioner", AS_OF - 365 * DAY)
    service(ap17, mf, k5, "cleaning", AS_OF + SECOND, AS_OF - 365 * DAY - SECOND)

    def rated(community, created, stars, rated_at, **more):
        order = service(None, ma, community, "install", created, **more)
        make.rating(order_id=order, stars=stars, rated_at=rated_at)
    rated(k1, D(2026, 6, 1, 0, 0, 0), 5, D(2026, 6, 2))
    rated(k1, D(2026, 6, 30, 23, 59, 59), 4, AS_OF)
    rated(k1, D(2026, 6, 15), 1, AS_OF + SECOND)
    rated(k1, D(2026, 6, 10), 1, D(2026, 6, 11), cancelled_at=D(2026, 6, 11))
    rated(k1, D(2026, 5, 31, 23, 59, 59), 1, D(2026, 6, 1))
    rated(k2, D(2026, 6, 5), 3, D(2026, 6, 6), brand_id=brand2)
    return {"k1": k1, "k2": k2, "k3": k3, "k4": k4, "k5": k5, "city2": city2,
            "brand2": brand2}


def _f(**more):
    return KpiFilters(date(2026, 6, 1), date(2026, 6, 30), AS_OF, **more)


def _figures(frame, ids):
    names = {v: k for k, v in ids.items() if k.startswith("k")}
    return {names[r.community_id]: (r.orders, r.members,
                                    None if pd.isna(r.avg_stars) else r.avg_stars,
                                    r.maintenance_due)
            for r in frame.itertuples()}


def test_heat(hand_built_db):
    engine, ids = hand_built_db
    frame = community_heat(engine, _f())
    assert _figures(frame, ids) == {"k1": (3, 1, 4.5, 6), "k2": (1, 1, 3.0, 1),
                                    "k3": (0, 0, None, 0), "k4": (0, 1, None, 1),
                                    "k5": (0, 1, None, 0)}
    assert frame["community_id"].tolist() == sorted(frame["community_id"])
    assert {"lat", "lon", "name"} <= set(frame.columns)


def test_city_filter(hand_built_db):
    engine, ids = hand_built_db
    assert _figures(community_heat(engine, _f(city_ids=(ids["city2"],))), ids) == \
        {"k3": (0, 0, None, 0)}


def test_order_filters_leave_members_and_maintenance(hand_built_db):
    engine, ids = hand_built_db
    frame = community_heat(engine, _f(brand_ids=(ids["brand2"],)))
    assert _figures(frame, ids) == {"k1": (0, 1, None, 6), "k2": (1, 1, 3.0, 1),
                                    "k3": (0, 0, None, 0), "k4": (0, 1, None, 1),
                                    "k5": (0, 1, None, 0)}


def test_one_second_later(hand_built_db):
    # as-of + 1 s: ap1 (now 180 days + 1 s) becomes due, and ap6's maintenance (completed
    # at this moment) has now happened, so ap6 is no longer due: 6 + 1 - 1.
    engine, ids = hand_built_db
    frame = community_heat(engine, _f().replace(as_of=AS_OF + SECOND))
    assert _figures(frame, ids)["k1"][3] == 6
    # A day and a second later, in k2: mC (joined as-of + 1 s) is a member now, with its
    # 2024 purifier due; ap15 (179 days) has passed 180 days: ap14, ap15, mC's -> 3.
    frame = community_heat(engine, _f().replace(as_of=AS_OF + DAY + SECOND))
    assert _figures(frame, ids)["k2"][1:4:2] == (2, 3)


def test_reset_by_an_order_created_after_as_of(hand_built_db):
    # The order does not exist at as-of, so its completion resets no clock: the 2023
    # purifier stays due (k4), the air conditioner is not due one second early (k5).
    engine, ids = hand_built_db
    figures = _figures(community_heat(engine, _f()), ids)
    assert (figures["k4"][3], figures["k5"][3]) == (1, 0)
    # One second later both orders exist: the purifier's maintenance resets its clock
    # (not due), the air conditioner's cleaning (and purchase) is past 365 days (due).
    figures = _figures(community_heat(engine, _f().replace(as_of=AS_OF + SECOND)), ids)
    assert (figures["k4"][3], figures["k5"][3]) == (0, 1)


def test_ranking(hand_built_db):
    engine, ids = hand_built_db
    ranked = maintenance_ranking(engine, _f())
    # k2 and k4: 1 due, 1 member each: by id
    assert ranked["community_id"].tolist() == [ids["k1"], ids["k2"], ids["k4"]]
    assert maintenance_ranking(engine, _f(), limit=1)["community_id"].tolist() == [ids["k1"]]
