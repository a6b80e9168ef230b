"""The business analyses on hand-worked rows, on SQLite, PostgreSQL and MariaDB.

Range 2026-01-01 .. 2026-03-31 (Q1), as-of 2026-04-01 00:00:00.
Cities X (community cx, member mx, engineer e1), Y (cy, my, e2); brands A牌 (own), B牌 (partner).

Orders (created, completed; engineer, payout in fen):
  o1  A  cx own_sales     repair   01-05 10:00, done 01-05 15:00  e1 10000  appliance ap1
  o2  A  cx own_sales     install  01-20,       done 02-01 09:00  e1  6000
  o3  B  cy partner_brand install  02-10,       done 02-10 18:00  e2  9000
  o4  B  cy partner_brand install  03-31 23:00, done 04-01 00:00 (= as-of, after the range) e2 7000
  o5  A  cx own_sales     repair   02-15, done 02-16, cancelled 02-17            e1 5000
  o6  A  cx own_sales     repair   2025-12-10, done 2025-12-11 (previous quarter) e1 4000
  o7  B  cx partner_brand repair   03-01, done 03-02                 e1  8000  appliance ap4
  o8  A  cy member_request cleaning 03-05, not done                  e2
  o9  A  cx own_sales     install  03-10, done 04-02 (after as-of)   e1  5000
  o10..o13  A member_request repairs, not done: o10 03-31 12:00 ap4; o11 02-20 ap5;
            o12 02-21 no appliance; o13 03-01 00:00 ap7
Parts: o1 滤芯A 2 (20000), 水龙头 1 (5000); o2 滤芯A 1 (10000); o6 滤芯A 1 (10000), 水龙头 2 (8000);
  o5 滤芯A 5 (cancelled); o3 电机 1 (30000); o7 电机 1 (30000), 滤芯A 3 (9000); o9 水龙头 4 (not done).
Appliances (warranty, until; today = 2026-04-01):
  ap1 mx A water_purifier extended 06-30 (day 90: expiring)   ap2 mx A air_conditioner full 04-01 (today)
  ap3 my B water_purifier full 07-01 (day 91)                ap4 my B range_hood standard 03-31 (expired)
  ap5 mx A water_purifier none                                 ap6 bought 04-02 (after as-of: not there)
  ap7 my B gas_stove standard 02-28 (expired)
Reviews: r1 A 1* 01-10 logistics+installation; r2 B 2* 02-03 service attitude; r3 A 2* 02-15 "差评"
  (other); r4 A 3* (not low); r5 after as-of; r6 2025-12-31 23:59:59 (before); r7 B 1* 03-31 23:59:59
  installation.
"""
from datetime import date, datetime

import pytest

from lib.business import brand_mix, engineer_pay, parts, reviews, warranties
from lib.business.sql import previous_quarter
from lib.kpi.filters import KpiFilters

AS_OF = datetime(2026, 4, 1)


def build(make):
    x, y = make.city(name="X市"), make.city(name="Y市")
    cx, cy = make.community(city_id=x, name="甲小区"), make.community(city_id=y, name="乙小区")
    a, b = make.brand(name="A牌"), make.brand(name="B牌", is_partner=True)
    mx, my = make.member(community_id=cx), make.member(community_id=cy)
    e1, e2 = make.engineer(city_id=x, name="赵师傅"), make.engineer(city_id=y, name="钱师傅")
    bought = datetime(2025, 1, 1)

    def appliance(member, brand, category, warranty, until, purchased=bought):
        return make.appliance(member_id=member, brand_id=brand, category=category, warranty=warranty,
                              warranty_until=until, purchased_at=purchased)
    ap1 = appliance(mx, a, "water_purifier", "extended", date(2026, 6, 30))
    appliance(mx, a, "air_conditioner", "full", date(2026, 4, 1))
    appliance(my, b, "water_purifier", "full", date(2026, 7, 1))
    ap4 = appliance(my, b, "range_hood", "standard", date(2026, 3, 31))
    ap5 = appliance(mx, a, "water_purifier", "none", None)
    appliance(my, a, "water_purifier", "extended", date(2027, 1, 1), datetime(2026, 4, 2))
    ap7 = appliance(my, b, "gas_stove", "standard", date(2026, 2, 28))

    def order(brand, community, member, source, kind, created, done=None, engineer=None, payout=8000,
              **more):
        return make.order(brand_id=brand, community_id=community, member_id=member, source=source,
                          service_type=kind, created_at=created, completed_at=done,
                          engineer_id=engineer, payout_fen=payout, **more)
    o1 = order(a, cx, mx, "own_sales", "repair", datetime(2026, 1, 5, 10), datetime(2026, 1, 5, 15), e1,
               10000, appliance_id=ap1)
    o2 = order(a, cx, mx, "own_sales", "install", datetime(2026, 1, 20), datetime(2026, 2, 1, 9), e1, 6000)
    o3 = order(b, cy, my, "partner_brand", "install", datetime(2026, 2, 10), datetime(2026, 2, 10, 18), e2,
               9000)
    order(b, cy, my, "partner_brand", "install", datetime(2026, 3, 31, 23), datetime(2026, 4, 1), e2, 7000)
    o5 = order(a, cx, mx, "own_sales", "repair", datetime(2026, 2, 15), datetime(2026, 2, 16), e1, 5000,
               cancelled_at=datetime(2026, 2, 17))
    o6 = order(a, cx, mx, "own_sales", "repair", datetime(2025, 12, 10), datetime(2025, 12, 11), e1, 4000)
    o7 = order(b, cx, mx, "partner_brand", "repair", datetime(2026, 3, 1), datetime(2026, 3, 2), e1,
               appliance_id=ap4)
    order(a, cy, my, "member_request", "cleaning", datetime(2026, 3, 5), None, e2)
    o9 = order(a, cx, mx, "own_sales", "install", datetime(2026, 3, 10), datetime(2026, 4, 2), e1, 5000)
    for created, app in ((datetime(2026, 3, 31, 12), ap4), (datetime(2026, 2, 20), ap5),
                         (datetime(2026, 2, 21), None), (datetime(2026, 3, 1), ap7)):
        order(a, cy, my, "member_request", "repair", created, appliance_id=app)
    for o, name, qty, cost in ((o1, "滤芯A", 2, 20000), (o1, "水龙头", 1, 5000), (o2, "滤芯A", 1, 10000),
                               (o6, "滤芯A", 1, 10000), (o6, "水龙头", 2, 8000), (o5, "滤芯A", 5, 50000),
                               (o3, "电机", 1, 30000), (o7, "电机", 1, 30000), (o7, "滤芯A", 3, 9000),
                               (o9, "水龙头", 4, 20000)):
        make.part(order_id=o, part_name=name, qty=qty, cost_fen=cost)

    def review(brand, platform, kind, band, stars, content, created):
        make.review(brand_id=brand, platform=platform, product_type=kind, price_band=band, stars=stars,
                    content=content, created_at=created)
    review(a, "京东", "water_purifier", "1000-2999元", 1,
           "物流太慢了，等了一个星期，安装师傅还迟到了两个小时。", datetime(2026, 1, 10))
    review(b, "天猫", "air_conditioner", "3000元以上", 2, "客服态度很差，爱答不理", datetime(2026, 2, 3))
    review(a, "天猫", "water_purifier", "1000元以下", 2, "差评", datetime(2026, 2, 15))
    review(a, "京东", "water_purifier", "1000-2999元", 3, "物流太慢了", datetime(2026, 2, 16))
    review(a, "京东", "water_purifier", "1000-2999元", 1, "安装很慢", datetime(2026, 4, 1, 0, 0, 1))
    review(b, "京东", "water_purifier", "1000-2999元", 1, "物流太慢了", datetime(2025, 12, 31, 23, 59, 59))
    review(b, "拼多多", "air_conditioner", "3000元以上", 1, "安装不规范，管子漏水",
           datetime(2026, 3, 31, 23, 59, 59))
    return {"x": x, "y": y, "a": a, "b": b, "e1": e1, "e2": e2, "cx": cx}


def _f(**more):
    return KpiFilters(date(2026, 1, 1), date(2026, 3, 31), AS_OF, **more)


def _records(frame, columns):
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


# -- complaints ---------------------------------------------------------------------
def test_low_star_reviews_in_range_are_tagged(hand_built_db):
    engine, _ = hand_built_db
    tagged = reviews.low_star_reviews(engine, _f())
    # r7, r3, r2, r1 newest first; r4 has 3 stars, r5 is after as-of, r6 before the range.
    assert list(tagged["content"]) == ["安装不规范，管子漏水", "差评", "客服态度很差，爱答不理",
                                       "物流太慢了，等了一个星期，安装师傅还迟到了两个小时。"]
    assert list(tagged["causes"]) == [("installation",), (), ("service_attitude",),
                                      ("logistics", "installation")]
    assert list(tagged["month"]) == ["2026-03", "2026-02", "2026-02", "2026-01"]
    assert len(reviews.low_star_reviews(engine, _f(), max_stars=3)) == 5  # r4 joins


def test_cause_shares_overall_and_by_brand(hand_built_db):
    engine, ids = hand_built_db
    tagged = reviews.low_star_reviews(engine, _f())
    # 4 low-star reviews: logistics r1, installation r1 r7, service attitude r2, other r3.
    assert _records(reviews.cause_shares(tagged), ["cause", "reviews", "total", "share"]) == [
        ("logistics", 1, 4, 0.25), ("installation", 2, 4, 0.5), ("service_attitude", 1, 4, 0.25),
        ("other", 1, 4, 0.25)]
    # A牌: r1, r3; B牌: r2, r7.
    assert _records(reviews.cause_shares(tagged, "brand"), ["key", "cause", "reviews", "share"]) == [
        ("A牌", "logistics", 1, 0.5), ("A牌", "installation", 1, 0.5), ("A牌", "other", 1, 0.5),
        ("B牌", "installation", 1, 0.5), ("B牌", "service_attitude", 1, 0.5)]
    by_platform = reviews.cause_shares(tagged, "platform")
    assert set(by_platform["key"]) == {"京东", "天猫", "拼多多"}
    only_b = reviews.low_star_reviews(engine, _f(brand_ids=(ids["b"],)))
    assert sorted(only_b["brand"]) == ["B牌", "B牌"]


def test_cause_trend_and_examples(hand_built_db):
    engine, _ = hand_built_db
    tagged = reviews.low_star_reviews(engine, _f())
    assert _records(reviews.cause_trend(tagged), ["month", "cause", "reviews", "total"]) == [
        ("2026-01", "logistics", 1, 1), ("2026-01", "installation", 1, 1),
        ("2026-02", "service_attitude", 1, 2), ("2026-02", "other", 1, 2),
        ("2026-03", "installation", 1, 1)]
    examples = reviews.cause_examples(tagged, "installation")
    assert list(examples["content"]) == ["安装不规范，管子漏水",
                                         "物流太慢了，等了一个星期，安装师傅还迟到了两个小时。"]
    assert list(reviews.cause_examples(tagged, "other")["content"]) == ["差评"]
    assert reviews.cause_examples(tagged, "price").empty


# -- parts ----------------------------------------------------------------------------
def test_parts_per_brand_and_quarter(hand_built_db):
    engine, _ = hand_built_db
    frame = parts.parts_by_brand_quarter(engine, _f())
    # Q1 orders done by as-of, not cancelled: A牌 o1 o2 (2), B牌 o3 o7 (2; o4 done after the range).
    # A牌 2025-Q4 (o6): 滤芯A 1, 水龙头 2.  o5 cancelled, o9 not done by as-of.
    assert _records(frame, ["brand", "quarter", "rank", "part_name", "qty", "cost_fen", "brand_orders",
                            "per_100_orders", "previous_qty", "qty_change"]) == [
        ("A牌", "2026-Q1", 1, "滤芯A", 3, 30000, 2, 150.0, 1, 2),
        ("A牌", "2026-Q1", 2, "水龙头", 1, 5000, 2, 50.0, 2, -1),
        ("B牌", "2026-Q1", 1, "滤芯A", 3, 9000, 2, 150.0, 0, 3),
        ("B牌", "2026-Q1", 2, "电机", 2, 60000, 2, 100.0, 0, 2)]
    assert list(frame["qty_change_ratio"])[:2] == [2.0, -0.5]
    assert all(r is None or r != r for r in list(frame["qty_change_ratio"])[2:])  # None: nothing before


def test_parts_leave_out_an_order_created_after_as_of(engine):
    """As for pay: an order created after as-of does not exist yet, its parts neither."""
    from lib.demo.factory import Factory
    with engine.begin() as connection:
        make = Factory(connection)
        city = make.city()
        brand = make.brand(name="C牌")
        community = make.community(city_id=city)
        member = make.member(community_id=community)
        for created, done, qty in ((datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 17), 1),
                                   (datetime(2026, 4, 1, 0, 0, 1), datetime(2026, 3, 20, 12), 5)):
            order = make.order(brand_id=brand, community_id=community, member_id=member,
                               created_at=created, completed_at=done)
            make.part(order_id=order, part_name="滤芯C", qty=qty, cost_fen=1000 * qty)
    frame = parts.parts_by_brand_quarter(engine, _f())
    assert _records(frame, ["brand", "quarter", "part_name", "qty", "brand_orders"]) == [
        ("C牌", "2026-Q1", "滤芯C", 1, 1)]


def test_parts_city_filter_and_quarter_helper(hand_built_db):
    engine, ids = hand_built_db
    frame = parts.parts_by_brand_quarter(engine, _f(city_ids=(ids["y"],)))
    assert _records(frame, ["brand", "part_name", "qty", "brand_orders"]) == [("B牌", "电机", 1, 1)]  # o3
    assert previous_quarter("2026-Q1") == "2025-Q4" and previous_quarter("2026-Q3") == "2026-Q2"


# -- own sales against partner brands -------------------------------------------------
def test_partner_share_by_month_and_city(hand_built_db):
    engine, ids = hand_built_db
    # Jan: own o1 o2; Feb: partner o3; Mar: own o9, partner o4 o7. o5 cancelled, o6 before, o8 o10-13
    # member requests.
    assert _records(brand_mix.mix_by_month(engine, _f()), ["month", "own_sales", "partner_brand"]) == [
        ("2026-01", 2, 0), ("2026-02", 0, 1), ("2026-03", 1, 2)]
    assert list(brand_mix.mix_by_month(engine, _f())["partner_share"]) == [0.0, 1.0, pytest.approx(2 / 3)]
    # X: own o1 o2 o9, partner o7; Y: partner o3 o4.
    assert _records(brand_mix.mix_by_city(engine, _f()), ["city", "own_sales", "partner_brand",
                                                          "partner_share"]) == [
        ("X市", 3, 1, 0.25), ("Y市", 0, 2, 1.0)]
    assert _records(brand_mix.mix_by_city_month(engine, _f(city_ids=(ids["y"],))),
                    ["month", "partner_brand"]) == [("2026-02", 1), ("2026-03", 1)]


# -- engineer pay ------------------------------------------------------------------------
def test_pay_per_engineer_and_month(hand_built_db):
    engine, ids = hand_built_db
    # Done in range by as-of, not cancelled: o1 e1 Jan 10000, o2 e1 Feb 6000, o3 e2 Feb 9000,
    # o7 e1 Mar 8000. Not: o4 (done 04-01, after the range), o5 cancelled, o6 Dec, o8 o9 not done.
    assert _records(engineer_pay.pay_by_engineer_month(engine, _f()),
                    ["engineer", "month", "orders", "payout_fen", "avg_payout_fen"]) == [
        ("赵师傅", "2026-01", 1, 10000, 10000.0), ("赵师傅", "2026-02", 1, 6000, 6000.0),
        ("钱师傅", "2026-02", 1, 9000, 9000.0), ("赵师傅", "2026-03", 1, 8000, 8000.0)]
    assert _records(engineer_pay.pay_by_month(engine, _f()),
                    ["month", "orders", "payout_fen", "engineers", "avg_payout_fen"]) == [
        ("2026-01", 1, 10000, 1, 10000.0), ("2026-02", 2, 15000, 2, 7500.0), ("2026-03", 1, 8000, 1, 8000.0)]
    assert _records(engineer_pay.pay_by_engineer(engine, _f()), ["engineer", "orders", "payout_fen"]) == [
        ("赵师傅", 3, 24000), ("钱师傅", 1, 9000)]
    # The city filter follows the engineer's own city: Y is e2 only.
    assert _records(engineer_pay.pay_by_engineer(engine, _f(city_ids=(ids["y"],))),
                    ["engineer", "payout_fen"]) == [("钱师傅", 9000)]


def test_pay_leaves_out_an_order_created_after_as_of_whatever_its_completion_says(engine):
    """Rows created after as-of do not exist (SPEC), even where a wrong clock dated the
    completion before as-of: the 3,000 fen of such an order are not paid yet."""
    from lib.demo.factory import Factory
    with engine.begin() as connection:
        make = Factory(connection)
        city = make.city()
        engineer = make.engineer(city_id=city, name="孙师傅")
        community = make.community(city_id=city)
        member = make.member(community_id=community)
        for created, done, payout in ((datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 17), 5000),
                                      (datetime(2026, 4, 1, 0, 0, 1), datetime(2026, 3, 20, 12), 3000),
                                      (AS_OF, datetime(2026, 3, 31, 12), 2000)):   # created at as-of: exists
            make.order(community_id=community, member_id=member, engineer_id=engineer, created_at=created,
                       completed_at=done, payout_fen=payout)
    assert _records(engineer_pay.pay_by_engineer(engine, _f()), ["engineer", "orders", "payout_fen"]) == [
        ("孙师傅", 2, 7000)]
    assert _records(engineer_pay.pay_by_month(engine, _f()), ["month", "orders", "payout_fen"]) == [
        ("2026-01", 0, 0), ("2026-02", 0, 0), ("2026-03", 2, 7000)]


# -- warranties ---------------------------------------------------------------------------
def test_appliances_by_warranty_type(hand_built_db):
    engine, _ = hand_built_db
    # ap6 bought after as-of; active = warranty_until on or after 2026-04-01.
    assert _records(warranties.appliances_by_warranty(engine, _f()),
                    ["warranty", "category", "appliances", "active"]) == [
        ("none", "water_purifier", 1, 0), ("standard", "gas_stove", 1, 0),
        ("standard", "range_hood", 1, 0), ("extended", "water_purifier", 1, 1),
        ("full", "air_conditioner", 1, 1), ("full", "water_purifier", 1, 1)]


def test_coverage_expiring_in_90_days_by_community(hand_built_db):
    engine, _ = hand_built_db
    # ap1 ends on day 90 and ap2 today (both in); ap3 ends on day 91, ap4 ap7 already ended.
    assert _records(warranties.expiring_by_community(engine, _f()),
                    ["community", "city", "standard", "extended", "full", "total"]) == [
        ("甲小区", "X市", 0, 1, 1, 2)]


def test_repairs_under_warranty(hand_built_db):
    engine, _ = hand_built_db
    # Jan: o1 (ap1 to 06-30): under. Feb: o11 (ap5 none), o12 (no appliance): not; o5 cancelled.
    # Mar: o7 (ap4 to 03-31), o10 (03-31 12:00, ap4: the last day counts): under; o13 (ap7 to 02-28): not.
    assert _records(warranties.repairs_by_month(engine, _f()), ["month", "repairs", "under_warranty"]) == [
        ("2026-01", 1, 1), ("2026-02", 2, 0), ("2026-03", 3, 2)]
    assert _records(warranties.repairs_by_warranty(engine, _f()), ["warranty", "repairs", "under_warranty"]) == [
        ("none", 1, 0), ("standard", 3, 2), ("extended", 1, 1), ("unknown", 1, 0)]
