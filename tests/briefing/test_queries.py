"""The briefing's figures, the order list and the lookup on hand-worked rows, on every
backend. As-of 2026-03-10 09:00:00; "yesterday" is 03-09.

Cities A and B joined the promise 2026-01-01, C never. Due: before 11:00 -> 24:00
that day, else 12:00 next day.
    o1 A install 03-08 12:00 due 03-09 12:00, completed 03-09 13:00   breached, due yesterday (e1)
    o2 A install 03-09 09:00 due 03-09 24:00, open                    breached, due yesterday (e2)
    o3 B install 03-09 10:00 due 03-09 24:00, completed 03-09 20:00   met
    o4 B install 03-09 12:00 due 03-10 12:00, open                    pending
    o5 A install 03-07 09:00 due 03-07 24:00, open                    breached, due 03-07
    o6 C install 03-09 09:00                                          not eligible
    o7 A install 03-09 08:00 cancelled 03-09 09:00                    out
    o8 repair 03-10 08:00 (today); o9 repair 03-03 08:30, o10 03-03 10:00 (a week ago,
    before / after the same time of day)
e1 has 10 five-star ratings on 02-01 and 10 one-star on 03-01: level 5 thirty days
ago (window to 02-08); now with o1's two stars: 21 ratings averaging 62/21 = 2.95, level 1.
"""
from datetime import date, datetime

import pytest

from lib.briefing import briefing, hr, manager, marketing, orders as ol
from lib.briefing.settings import BriefingSettings
from lib.kpi.settings import KpiSettings
from lib.roles import Actor

AS_OF = datetime(2026, 3, 10, 9, 0, 0)
D = datetime
ST, BS = KpiSettings(), BriefingSettings()
PHONE = "13812345678"


def build(make):
    a, b, c = (make.city(name=n, sla_24h_since=s) for n, s in
               (("甲市", date(2026, 1, 1)), ("乙市", date(2026, 1, 1)), ("丙市", None)))
    ca, cb, cc = (make.community(city_id=x, name=f"小区{x}") for x in (a, b, c))
    e1 = make.engineer(city_id=a, name="王师傅")
    e2 = make.engineer(city_id=a, name="赵师傅")
    m = make.member(community_id=ca, phone=PHONE, name="张小三")
    mb = make.member(community_id=cb)
    ids = {"A": a, "B": b, "ca": ca, "cb": cb, "e1": e1, "e2": e2}
    o = lambda **v: make.order(member_id=m, **v)
    ids["o1"] = o(community_id=ca, created_at=D(2026, 3, 8, 12), dispatched_at=D(2026, 3, 8, 12, 30),
                  arrived_at=D(2026, 3, 9, 11), completed_at=D(2026, 3, 9, 13), engineer_id=e1)
    ids["o2"] = o(community_id=ca, created_at=D(2026, 3, 9, 9), engineer_id=e2)
    ids["o3"] = o(community_id=cb, created_at=D(2026, 3, 9, 10), completed_at=D(2026, 3, 9, 20))
    ids["o4"] = o(community_id=cb, created_at=D(2026, 3, 9, 12))
    ids["o5"] = o(community_id=ca, created_at=D(2026, 3, 7, 9))
    ids["o6"] = o(community_id=cc, created_at=D(2026, 3, 9, 9))
    ids["o7"] = o(community_id=ca, created_at=D(2026, 3, 9, 8), cancelled_at=D(2026, 3, 9, 9))
    for when in (D(2026, 3, 10, 8), D(2026, 3, 3, 8, 30), D(2026, 3, 3, 10)):
        o(community_id=cb, created_at=when, service_type="repair")
    make.rating(order_id=ids["o1"], stars=2, comment="太慢了", rated_at=D(2026, 3, 9, 14))
    make.part(order_id=ids["o1"], part_name="RO膜", qty=2, cost_fen=9000)
    for day, stars in ((D(2026, 2, 1, 10), 5), (D(2026, 3, 1, 10), 1)):
        for _ in range(10):
            rated = o(community_id=cb, created_at=day, completed_at=day, service_type="cleaning",
                      engineer_id=e1)
            make.rating(order_id=rated, stars=stars, rated_at=day)
    # HR
    make.certification(engineer_id=e2, applied_at=D(2026, 2, 1))                       # ready, waiting
    make.certification(engineer_id=e2, applied_at=D(2026, 3, 8), exam_score=50)         # refused
    make.certification(engineer_id=e2, applied_at=D(2026, 2, 20), exam_score=70, id_verified=False)
    make.certification(engineer_id=e2, applied_at=D(2026, 1, 1), status="approved")
    # marketing
    make.coupon(member_id=m, expires_at=D(2026, 3, 15), value_fen=20000)
    make.coupon(member_id=m, expires_at=D(2026, 4, 30))
    make.coupon(member_id=m, expires_at=D(2026, 3, 12), status="redeemed", redeemed_at=D(2026, 3, 5))
    make.coupon(member_id=m, expires_at=D(2026, 3, 9))
    ids["t1"] = make.trade_in_request(member_id=m, reported_at=D(2026, 2, 1))
    make.trade_in_request(member_id=m, reported_at=D(2026, 3, 1))
    make.trade_in_request(member_id=m, reported_at=D(2026, 1, 1), status="coupon_issued")
    make.appliance(member_id=m, category="water_purifier", purchased_at=D(2025, 1, 1))
    make.appliance(member_id=mb, category="water_purifier", purchased_at=D(2025, 1, 1))
    day = make.free_repair_day(community_id=cb, event_date=date(2026, 3, 20))
    from lib.db import schema as s
    from sqlalchemy import insert
    make.connection.execute(insert(s.free_repair_day_engineers).values(free_repair_day_id=day, engineer_id=e1))
    return ids


def test_yesterdays_breaches_by_city_and_engineer(hand_built_db):
    engine, ids = hand_built_db
    q = manager.yesterdays_breaches_query(AS_OF, ST)
    by_city = manager.breaches_grouped(engine, q, AS_OF, ST, "city")
    assert list(zip(by_city["key"], by_city["breached"])) == [(ids["A"], 2)]
    by_engineer = manager.breaches_grouped(engine, q, AS_OF, ST, "engineer")
    assert sorted(zip(by_engineer["key"], by_engineer["breached"])) == [(ids["e1"], 1), (ids["e2"], 1)]
    listed = ol.order_list(engine, q, AS_OF, ST)
    assert set(listed["order_id"]) == {ids["o1"], ids["o2"]}
    assert ol.order_count(engine, q, AS_OF, ST) == 2


def test_order_list_filters_sla_state_and_sorts(hand_built_db):
    engine, ids = hand_built_db
    base = ol.OrderQuery(start=date(2026, 3, 1), end=date(2026, 3, 10))
    pending = ol.order_list(engine, base.with_(sla_state="pending"), AS_OF, ST)
    assert list(pending["order_id"]) == [ids["o4"]]
    breached = ol.order_list(engine, base.with_(sla_state="breached", sort="due_at", descending=False), AS_OF, ST)
    assert list(breached["order_id"]) == [ids["o5"], ids["o1"], ids["o2"]]
    assert list(breached["sla_state"]) == ["breached"] * 3
    in_b = ol.order_list(engine, base.with_(city_ids=(ids["B"],), service_types=("install",)), AS_OF, ST)
    assert set(in_b["order_id"]) == {ids["o3"], ids["o4"]}
    cancelled = ol.order_list(engine, base.with_(state="cancelled"), AS_OF, ST)
    assert list(cancelled["order_id"]) == [ids["o7"]]
    assert all(p == "138****5678" for p in ol.order_list(engine, base, AS_OF, ST)["phone"])
    two = base.with_(sla_state="breached", sort="id", descending=False)
    assert list(ol.order_list(engine, two.with_(page=2), AS_OF, ST, page_size=2)["order_id"]) == [ids["o5"]]


def test_order_detail_has_its_timeline_due_state_rating_and_parts(hand_built_db):
    engine, ids = hand_built_db
    d = ol.order_detail(engine, ids["o1"], AS_OF)
    assert [e for e, _ in d.timeline] == ["created", "dispatched", "arrived", "completed"]
    assert d.timeline[-1][1] == D(2026, 3, 9, 13)
    assert d.due_at == D(2026, 3, 9, 12) and d.sla_state == "breached"
    assert (d.stars, d.comment, d.engineer_id) == (2, "太慢了", ids["e1"])
    assert list(d.parts["part_name"]) == ["RO膜"] and int(d.parts["qty"].iloc[0]) == 2
    assert d.phone == "138****5678" and d.member == "张*三"
    assert ol.order_detail(engine, ids["o6"], AS_OF).sla_state is None
    assert ol.order_detail(engine, ids["o1"], D(2026, 3, 8, 11)) is None  # not created yet
    early = ol.order_detail(engine, ids["o1"], D(2026, 3, 9, 12, 30))
    assert [e for e, _ in early.timeline] == ["created", "dispatched", "arrived"]
    assert early.sla_state == "breached" and early.stars is None


def test_phone_lookup_matches_in_the_database_and_masks(hand_built_db):
    engine, ids = hand_built_db
    found = ol.orders_by_phone(engine, PHONE)
    assert ids["o1"] in set(found["order_id"]) and set(found["phone"]) == {"138****5678"}
    assert ol.orders_by_phone(engine, "13812345670").empty


def test_cities_under_target_and_star_drops(hand_built_db):
    engine, ids = hand_built_db
    under = manager.cities_under_target(engine, AS_OF, ST, 0.95)
    assert list(under["city_id"]) == [ids["A"]] and under["compliance"].iloc[0] == 0.0
    drops = manager.star_drops(engine, AS_OF, ST)
    assert list(zip(drops["engineer_id"], drops["before"], drops["level"])) == [(ids["e1"], 5, 1)]


def test_orders_today_against_the_same_time_last_week(hand_built_db):
    engine, _ = hand_built_db
    item = manager.orders_item(engine, AS_OF, ST, BS)
    assert (item.params["today"], item.params["last_week"]) == (1, 1)


def test_hr_items(hand_built_db):
    engine, _ = hand_built_db
    waiting = hr.waiting_item(engine, AS_OF, BS)
    assert waiting.params["applications"] == 2
    assert [r.params["waiting"] for r in waiting.rows] == [37, 18]   # oldest first
    assert hr.decision_counts(engine, AS_OF, 60) == {"ready": 1, "refused": 1, "unverified": 1, "no_score": 0}


def test_marketing_items(hand_built_db):
    engine, ids = hand_built_db
    expiring = marketing.expiring_item(engine, AS_OF, BS)
    assert (expiring.params["coupons"], expiring.params["value_fen"]) == (1, 20000)
    trade = marketing.trade_ins_item(engine, AS_OF, BS)
    assert trade.params["requests"] == 2 and trade.rows[0].params["request_id"] == ids["t1"]
    unplanned = marketing.unplanned_communities(engine, AS_OF.date(), BS, ST)
    assert [row[0] for row in unplanned] == [ids["ca"]]   # cb has a day planned on 03-20
    upcoming = marketing.upcoming_days(engine, AS_OF.date(), BS)
    assert [(d["community"], d["engineers"]) for d in upcoming] == [(f"小区{ids['cb']}", ["王师傅"])]


def test_each_role_gets_its_own_sections_only(hand_built_db):
    engine, _ = hand_built_db
    keys = lambda role: [i.key for i in briefing(engine, actor=Actor("x", (role,)), as_of=AS_OF,
                                                  briefing_settings=BS).items]
    assert keys("hr") == ["hr.waiting", "hr.decisions"]
    assert keys("marketing") == ["mkt.trade_ins", "mkt.expiring", "mkt.communities", "mkt.upcoming"]
    assert keys("manager") == ["mgr.breaches", "mgr.at_risk", "mgr.compliance", "mgr.stars",
                               "mgr.orders", "mgr.ftf"]
    assert len(keys("admin")) == 12


def test_a_section_the_role_may_not_read_is_refused(hand_built_db):
    from lib.briefing import briefing_section
    from lib.roles import PermissionDenied
    engine, _ = hand_built_db
    with pytest.raises(PermissionDenied):
        briefing_section(engine, actor=Actor("x", ("hr",)), section="manager", as_of=AS_OF)


@pytest.mark.parametrize("params,expected", [
    ({}, ol.OrderQuery(start=date(2026, 2, 9), end=date(2026, 3, 10))),
    ({"from": "2026-03-05", "to": "2026-03-01", "city": "3,x,3", "sla": "nope", "page": "0"},
     ol.OrderQuery(start=date(2026, 3, 1), end=date(2026, 3, 5), city_ids=(3,))),
    ({"type": "install,bogus", "engineer": "7", "sort": "due_at", "asc": "1", "state": "open"},
     ol.OrderQuery(start=date(2026, 2, 9), end=date(2026, 3, 10), service_types=("install",), engineer_id=7,
                   sort="due_at", descending=False, state="open")),
])
def test_order_query_from_url_parameters(params, expected):
    assert ol.from_params(params, date(2026, 3, 10)) == expected


def test_order_query_round_trips_through_its_parameters():
    q = ol.OrderQuery(start=date(2026, 3, 1), end=date(2026, 3, 9), city_ids=(1, 2), sla_state="breached",
                      due_from=date(2026, 3, 9), due_to=date(2026, 3, 9), sort="due_at", page=3)
    assert ol.from_params(q.params(), date(2026, 3, 10)) == q


@pytest.mark.parametrize("text,expected", [
    ("1234", ("order", "1234")), ("#77", ("order", "77")), ("13812345678", ("phone", "13812345678")),
    ("+86 138-1234-5678", ("phone", "13812345678")), ("abc", None), ("", None), ("#", None),
])
def test_lookup_text(text, expected):
    assert ol.parse_lookup(text) == expected
