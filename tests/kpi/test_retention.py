"""KPI 4, member retention, on hand-worked rows (range 2026-01..03, as-of 2026-04-15 10:00).

January cohort (4 members):
    m1 wechat joined 01-05, stays; orders 01-06 and 03-05 (in another community)
    m2 app    joined 01-10, left 02-01 00:00:00 (retained for January, not February);
              its only order (01-15) was cancelled 01-16
    m3 app    joined 01-20, left 01-31 23:59:59 (not retained even for January)
    m4 wechat joined 01-25, leaves 05-01 (after as-of: still a member); orders 02-10
              (cancelled 04-20, after as-of: counts) and 03-31 23:59:59
  k0..k2 ended (April 1 <= as-of), k3 (ends May 1) has not:
    retained 3/4, 2/4, 2/4, None...;  active 1/4 (m1), 1/4 (m4), 2/4 (m1, m4), None...
February: nobody joined -> no row.
March cohort (2 members):
    m5 store  joined 03-31 23:59:59, order 04-01 00:00:00 (month k1, not ended)
    m6 wechat joined 03-15 in city 2, left 04-15 10:00:00 (= as-of: has left; but after
              April 1, so retained for March); order 03-20
    retained 2/2, None...; active 1/2 (m6), None...
m8 joined 2025-12-31 23:59:59: December cohort, outside the range.
"""
from datetime import date, datetime


from lib.kpi.filters import KpiFilters
from lib.kpi.retention import joins_and_leaves, retention_cohorts, retention_matrix

AS_OF = datetime(2026, 4, 15, 10, 0, 0)
D = datetime
N = [None] * 9


def build(make):
    city2 = make.city()
    home, other, far = make.community(), make.community(), make.community(city_id=city2)

    def member(joined, channel, left=None, community=home):
        return make.member(joined_at=joined, left_at=left, channel=channel, community_id=community)

    def order(who, created, community=home, **more):
        make.order(member_id=who, community_id=community, created_at=created, **more)

    m1 = member(D(2026, 1, 5), "wechat")
    m2 = member(D(2026, 1, 10), "app", left=D(2026, 2, 1, 0, 0, 0))
    member(D(2026, 1, 20), "app", left=D(2026, 1, 31, 23, 59, 59))
    m4 = member(D(2026, 1, 25), "wechat", left=D(2026, 5, 1))
    m5 = member(D(2026, 3, 31, 23, 59, 59), "store")
    m6 = member(D(2026, 3, 15), "wechat", left=AS_OF, community=far)
    member(D(2025, 12, 31, 23, 59, 59), "phone")
    order(m1, D(2026, 1, 6))
    order(m1, D(2026, 3, 5), community=other)
    order(m2, D(2026, 1, 15), cancelled_at=D(2026, 1, 16))
    order(m4, D(2026, 2, 10), cancelled_at=D(2026, 4, 20))
    order(m4, D(2026, 3, 31, 23, 59, 59))
    order(m5, D(2026, 4, 1, 0, 0, 0))
    order(m6, D(2026, 3, 20), community=far)
    return {"city2": city2}


def _f(as_of=AS_OF, **more):
    return KpiFilters(date(2026, 1, 1), date(2026, 3, 31), as_of, **more)


def test_cohorts(hand_built_db):
    engine, _ = hand_built_db
    cohorts = retention_cohorts(engine, _f())
    assert [(c.cohort, c.members) for c in cohorts] == [("2026-01", 4), ("2026-03", 2)]
    january, march = cohorts
    assert january.retained == [0.75, 0.5, 0.5] + N
    assert january.active == [0.25, 0.25, 0.5] + N
    assert march.retained == [1.0] + [None] * 11
    assert march.active == [0.5] + [None] * 11


def test_month_ending_exactly_at_as_of_has_a_figure(hand_built_db):
    # as-of 03-01 00:00:00: February (k1 of January) has just ended. m4's February order
    # is not cancelled yet. March's members have not joined yet: no March row.
    engine, _ = hand_built_db
    cohorts = retention_cohorts(engine, _f(as_of=D(2026, 3, 1)))
    assert [(c.cohort, c.members) for c in cohorts] == [("2026-01", 4)]
    assert cohorts[0].retained == [0.75, 0.5] + [None] * 10
    assert cohorts[0].active == [0.25, 0.25] + [None] * 10


def test_city_filter_is_the_members_community(hand_built_db):
    engine, ids = hand_built_db
    cohorts = retention_cohorts(engine, _f(city_ids=(ids["city2"],)))
    assert [(c.cohort, c.members, c.retained[0], c.active[0]) for c in cohorts] == \
        [("2026-03", 1, 1.0, 1.0)]


def test_channel(hand_built_db):
    engine, _ = hand_built_db
    cohorts = retention_cohorts(engine, _f(), channel="app")  # m2, m3
    assert [(c.cohort, c.members, c.retained[:2]) for c in cohorts] == \
        [("2026-01", 2, [0.5, 0.0])]


def test_matrix(hand_built_db):
    engine, _ = hand_built_db
    matrix = retention_matrix(engine, _f(), measure="active")
    assert matrix.index.tolist() == ["2026-01", "2026-03"]
    assert matrix.loc["2026-01", [0, 1, 2]].tolist() == [0.25, 0.25, 0.5]
    assert matrix.loc["2026-03", "members"] == 2


def test_joins_and_leaves(hand_built_db):
    engine, _ = hand_built_db
    frame = joins_and_leaves(engine, _f())
    assert frame.values.tolist() == [
        ["2026-01", "app", 2, 1],      # m2 m3 joined; m3 left 01-31 23:59:59
        ["2026-01", "wechat", 2, 0],   # m1 m4
        ["2026-02", "app", 0, 1],      # m2 left 02-01 00:00:00
        ["2026-03", "store", 1, 0],    # m5
        ["2026-03", "wechat", 1, 0],   # m6 (leaves 04-15: after the range)
    ]
