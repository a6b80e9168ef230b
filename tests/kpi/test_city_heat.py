"""The country map's figures per city, summed in the database, on the hand-worked rows of
tests/kpi/test_communities.py (city 1: k1 and k2; city 2: k3), and the planned
free-repair days shown in a community's tooltip."""
from datetime import date

import pandas as pd

from lib.kpi.communities import city_heat, community_heat, planned_free_repair_days
from tests.kpi.test_communities import _f, build  # noqa: F401  (build: hand_built_db's rows)



def test_city_heat_sums_the_communities(hand_built_db):
    engine, ids = hand_built_db
    cities = city_heat(engine, _f())
    by_city = {r.city_id: (r.communities, r.orders, r.ratings,
                           None if pd.isna(r.avg_stars) else r.avg_stars, r.members,
                           r.maintenance_due) for r in cities.itertuples()}
    heat = community_heat(engine, _f())
    city1 = int(heat.loc[heat["community_id"] == ids["k1"], "city_id"].iloc[0])
    # k1: 3 orders (avg 4.5 over 2 ratings), k2: 1 order (3 stars) -> 4 orders, (9 + 3) / 3
    assert by_city[city1] == (2, 4, 3, 4.0, 2, 7)
    assert by_city[ids["city2"]] == (1, 0, 0, None, 0, 0)
    assert cities["city_id"].tolist() == sorted(cities["city_id"])


def test_city_heat_follows_the_filters(hand_built_db):
    engine, ids = hand_built_db
    only = city_heat(engine, _f(city_ids=(ids["city2"],)))
    assert only["city_id"].tolist() == [ids["city2"]]
    branded = city_heat(engine, _f(brand_ids=(ids["brand2"],)))
    assert branded.set_index("city_id").loc[branded["city_id"].min(), "orders"] == 1


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
