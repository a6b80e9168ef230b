"""Row factory: insert one row with plausible defaults, override what matters.

Tests build their hand-worked fixtures with it (only the columns a test is
about are spelled out), and the demo builder uses the same defaults for its
small reference tables. Parents a row needs (a city for a community, a member
for an order...) are created once on first use and reused.

    with engine.begin() as connection:
        make = Factory(connection)
        order = make.order(created_at=datetime(2026, 3, 2, 10, 59, 59), service_type="install")
"""
from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, insert

from lib.db import schema as s
from lib.demo.identity import id_card_number, mobile_number

EPOCH = datetime(2025, 1, 1, 9, 0, 0)


class Factory:
    def __init__(self, connection: Connection, seed: int = 1):
        self.connection = connection
        self.rng = random.Random(seed)
        self._defaults: dict[str, int] = {}
        self._serial = 0

    # -- plumbing ---------------------------------------------------------
    def _insert(self, table: Table, values: dict[str, Any]) -> int:
        result = self.connection.execute(insert(table).values(**values))
        return result.inserted_primary_key[0]

    def _default(self, kind: str) -> int:
        if kind not in self._defaults:
            self._defaults[kind] = getattr(self, kind)()
        return self._defaults[kind]

    def _next(self) -> int:
        self._serial += 1
        return self._serial

    # -- reference data ---------------------------------------------------
    def city(self, **values: Any) -> int:
        n = self._next()
        row = dict(name=f"测试市{n}", province="浙江省", lat=29.87, lon=121.55,
                   sla_24h_since=date(2024, 1, 1))
        return self._insert(s.cities, {**row, **values})

    def brand(self, **values: Any) -> int:
        row = dict(name=f"品牌{self._next()}", is_partner=False)
        return self._insert(s.brands, {**row, **values})

    def community(self, **values: Any) -> int:
        row = dict(city_id=values.pop("city_id", None) or self._default("city"),
                   name=f"测试小区{self._next()}", lat=29.88, lon=121.56, households=800)
        return self._insert(s.communities, {**row, **values})

    # -- people -----------------------------------------------------------
    def member(self, **values: Any) -> int:
        row = dict(name="张三", phone=mobile_number(self.rng),
                   community_id=values.pop("community_id", None) or self._default("community"),
                   channel="wechat", joined_at=EPOCH, left_at=None)
        return self._insert(s.members, {**row, **values})

    def engineer(self, **values: Any) -> int:
        row = dict(name="李师傅", phone=mobile_number(self.rng),
                   city_id=values.pop("city_id", None) or self._default("city"),
                   id_card_no=id_card_number(self.rng, "330206", date(1988, 5, 17)),
                   work_card_no=f"WK{self._next():08d}", registered_at=EPOCH, status="active")
        return self._insert(s.engineers, {**row, **values})

    def certification(self, **values: Any) -> int:
        row = dict(engineer_id=values.pop("engineer_id", None) or self._default("engineer"),
                   category="water_purifier", exam_score=85, exam_taken_at=EPOCH,
                   id_verified=True, work_card_verified=True, status="pending",
                   applied_at=EPOCH)
        return self._insert(s.engineer_certifications, {**row, **values})

    # -- things and service -----------------------------------------------
    def appliance(self, **values: Any) -> int:
        row = dict(member_id=values.pop("member_id", None) or self._default("member"),
                   category="water_purifier",
                   brand_id=values.pop("brand_id", None) or self._default("brand"),
                   purchased_at=EPOCH, warranty="standard", warranty_until=date(2026, 1, 1))
        return self._insert(s.appliances, {**row, **values})

    def order(self, **values: Any) -> int:
        row = dict(member_id=values.pop("member_id", None) or self._default("member"),
                   appliance_id=None,
                   community_id=values.pop("community_id", None) or self._default("community"),
                   brand_id=values.pop("brand_id", None) or self._default("brand"),
                   category="water_purifier", service_type="install", source="own_sales",
                   channel="wechat", created_at=EPOCH, engineer_id=None,
                   fee_fen=0, payout_fen=8000)
        return self._insert(s.service_orders, {**row, **values})

    def rating(self, **values: Any) -> int:
        row = dict(order_id=values.pop("order_id", None) or self.order(),
                   stars=5, comment=None, rated_at=EPOCH)
        return self._insert(s.ratings, {**row, **values})

    def part(self, **values: Any) -> int:
        row = dict(order_id=values.pop("order_id", None) or self.order(),
                   part_name="RO反渗透滤芯", qty=1, cost_fen=12000)
        return self._insert(s.parts_used, {**row, **values})

    def review(self, **values: Any) -> int:
        row = dict(platform="京东", brand_id=values.pop("brand_id", None) or self._default("brand"),
                   product_type="water_purifier", price_band="1000-2999元", stars=1,
                   content="安装师傅迟到了两个小时", created_at=EPOCH)
        return self._insert(s.reviews, {**row, **values})

    # -- marketing --------------------------------------------------------
    def trade_in_request(self, **values: Any) -> int:
        row = dict(member_id=values.pop("member_id", None) or self._default("member"),
                   category="air_conditioner", old_brand="格力", age_years=8,
                   condition="working", reported_at=EPOCH, status="pending")
        return self._insert(s.trade_in_requests, {**row, **values})

    def coupon(self, **values: Any) -> int:
        row = dict(code=f"TESTCODE{self._next():06d}",
                   member_id=values.pop("member_id", None) or self._default("member"),
                   trade_in_request_id=None, value_fen=20000, issued_at=EPOCH,
                   issued_by="marketing", expires_at=datetime(2025, 4, 1), redeemed_at=None,
                   status="issued")
        return self._insert(s.coupons, {**row, **values})

    def free_repair_day(self, **values: Any) -> int:
        row = dict(community_id=values.pop("community_id", None) or self._default("community"),
                   event_date=date(2025, 6, 1), services="cleaning,filter_change", capacity=40,
                   status="planned", planned_by="marketing", created_at=EPOCH)
        return self._insert(s.free_repair_days, {**row, **values})
