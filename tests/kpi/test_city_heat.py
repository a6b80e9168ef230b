"""The country map's figures per city, summed in the database, on the hand-worked rows of
tests/kpi/test_communities.py (city 1: k1 and k2; city 2: k3), and the planned
free-repair days shown in a community's tooltip."""
from datetime import date

import pandas as pd

from lib.kpi.communities import (city_heat, community_heat, maintenance_due, order_total,
                                 planned_free_repair_days)
from tests.kpi.test_communities import _f, build  # noqa: F401  (build: hand_built_db's rows)



def _summed(heat: pd.DataFrame) -> dict:
    """The community heat summed per city here, in pandas: the check on the database's sums."""
    out = {}
    for city_id, rows in heat.groupby("city_id"):
        stars = (rows["avg_stars"].fillna(0) * rows["ratings"]).sum()
        out[int(city_id)] = (len(rows), int(rows["orders"].sum()), int(rows["ratings"].sum()),
                             round(stars / rows["ratings"].sum(), 9) if rows["ratings"].sum() else None,
                             int(rows["members"].sum()), int(rows["maintenance_due"].sum()))
    return out


def _by_city(cities: pd.DataFrame) -> dict:
    return {int(r.city_id): (r.communities, r.orders, r.ratings,
                             None if pd.isna(r.avg_stars) else round(r.avg_stars, 9),
                             r.members, r.maintenance_due) for r in cities.itertuples()}


def test_city_heat_sums_the_communities(hand_built_db):
    engine, ids = hand_built_db
    cities = city_heat(engine, _f())
    assert _by_city(cities) == _summed(community_heat(engine, _f()))
    assert cities["city_id"].tolist() == sorted(cities["city_id"])
    assert _by_city(cities)[ids["city2"]][1] == 0, "k3's city has no order in the range"
    assert cities["orders"].sum() > 0 and cities["maintenance_due"].sum() > 0


def test_city_heat_follows_the_filters(hand_built_db):
    engine, ids = hand_built_db
    only = city_heat(engine, _f(city_ids=(ids["city2"],)))
    assert only["city_id"].tolist() == [ids["city2"]]
    f = _f(brand_ids=(ids["brand2"],))
    assert _by_city(city_heat(engine, f)) == _summed(community_heat(engine, f))


def test_maintenance_due_computed_once_gives_the_same_heat(hand_built_db):
    """The pages compute maintenance due once per as-of and pass it on (`due=`): the
    figures are those each function computes on its own, in every city scope and with
    order filters and date ranges that do not change maintenance due."""
    engine, ids = hand_built_db
    for f in (_f(), _f(city_ids=(ids["city2"],)), _f(brand_ids=(ids["brand2"],))):
        due = maintenance_due(engine, f)
        assert sum(due.values()) == int(community_heat(engine, f)["maintenance_due"].sum())
        assert community_heat(engine, f, due=due).equals(community_heat(engine, f))
        assert city_heat(engine, f, due=due).equals(city_heat(engine, f))
    wide = _f()
    narrow = wide.replace(start=wide.end, brand_ids=(ids["brand2"],))
    assert maintenance_due(engine, narrow) == maintenance_due(engine, wide), \
        "maintenance due must not depend on the range or the order filters (the cache key drops them)"


def test_the_order_total_is_the_heats_orders_summed(hand_built_db):
    engine, ids = hand_built_db
    for f in (_f(), _f(city_ids=(ids["city2"],)), _f(brand_ids=(ids["brand2"],))):
        assert order_total(engine, f) == int(community_heat(engine, f)["orders"].sum())
    assert order_total(engine, _f()) > 0


def test_planned_days_of_a_city(engine):
    from lib.demo.factory import Factory
    with engine.begin() as connection:
        make = Factory(connection)
        city, other = make.city(), make.city()
        k, elsewhere = make.community(city_id=city), make.community(city_id=other)
        make.free_repair_day(community_id=k, event_date=date(2026, 7, 9), status="planned")
        make.free_repair_day(community_id=k, event_date=date(2026, 7, 2), status="planned")
        make.free_repair_day(community_id=k, event_date=date(2026, 7, 3), status="cancelled")
        make.free_repair_day(community_id=k, event_date=date(2026, 6, 1), status="planned")
        make.free_repair_day(community_id=elsewhere, event_date=date(2026, 7, 5), status="planned")
    days = planned_free_repair_days(engine, city_id=city, from_date=date(2026, 7, 1))
    assert [(r.community_id, r.event_date) for r in days.itertuples()] == \
        [(k, date(2026, 7, 2)), (k, date(2026, 7, 9))]
