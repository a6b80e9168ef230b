"""Fixtures for the command tests: actors of every role and a small world.

`world(engine)` builds, in one transaction, a city with a community, an
applicant engineer with a pending water-purifier application that passes,
an active certified engineer, a pending trade-in request and an issued coupon.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lib.db import schema as s
from lib.demo.factory import Factory
from lib.roles import Actor

NOW = datetime(2026, 3, 2, 10, 0, 0)
TODAY = NOW.date()
ACTORS = {
    "admin": Actor("ada", ("admin",)),
    "manager": Actor("max", ("manager",)),
    "hr": Actor("hua", ("hr",)),
    "marketing": Actor("mei", ("marketing",)),
    "none": Actor("nobody", ()),
}
ALLOWED = {
    "certifications.review": {"admin", "hr"},
    "coupons.manage": {"admin", "marketing"},
    "free_repair_days.plan": {"admin", "marketing"},
}
HR, MARKETING = ACTORS["hr"], ACTORS["marketing"]


@dataclass
class World:
    city: int
    other_city: int
    community: int
    applicant: int          # engineer, status applicant
    pending: int            # their pending water_purifier application (passes)
    worker: int             # active engineer, approved water_purifier + air_conditioner
    approved: int           # worker's approved water_purifier certification
    member: int
    request: int            # pending trade-in request (air_conditioner, 8 years, working)
    coupon: int             # issued coupon, unrelated to `request`


def build_world(engine) -> World:
    with engine.begin() as connection:
        make = Factory(connection)
        city = make.city()
        other_city = make.city()
        community = make.community(city_id=city)
        applicant = make.engineer(city_id=city, status="applicant", name="王小明")
        pending = make.certification(engineer_id=applicant, exam_score=85,
                                     applied_at=datetime(2026, 2, 20, 9, 0))
        worker = make.engineer(city_id=city, status="active", name="赵师傅")
        approved = make.certification(engineer_id=worker, status="approved", reviewed_by="hua",
                                      reviewed_at=datetime(2025, 6, 1))
        make.certification(engineer_id=worker, category="air_conditioner", status="approved",
                           reviewed_by="hua", reviewed_at=datetime(2025, 6, 1))
        member = make.member(community_id=community, phone="13812345678", name="张三丰")
        request = make.trade_in_request(member_id=member, reported_at=datetime(2026, 3, 1, 8, 0))
        coupon = make.coupon(member_id=member, issued_at=datetime(2026, 2, 1),
                             expires_at=datetime(2026, 5, 1))
    return World(city, other_city, community, applicant, pending, worker, approved, member,
                 request, coupon)


def counts(engine) -> dict[str, int]:
    """Rows per table the commands write, plus the audit log: 'nothing changed' checks."""
    tables = (s.engineer_certifications, s.engineers, s.trade_in_requests, s.coupons,
              s.free_repair_days, s.free_repair_day_engineers, s.console_audit_log)
    with engine.connect() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar() for t in tables}


def snapshot(engine) -> dict:
    """Counts plus every status column the commands move."""
    with engine.connect() as connection:
        statuses = {
            t.name: sorted(tuple(r) for r in connection.execute(select(t.c.id, t.c.status)))
            for t in (s.engineer_certifications, s.engineers, s.trade_in_requests, s.coupons,
                      s.free_repair_days)
        }
    return {"counts": counts(engine), "statuses": statuses}


@pytest.fixture
def world(engine) -> World:
    """The small world on each backend (see module docstring)."""
    return build_world(engine)


@pytest.fixture
def sqlite_world(sqlite_engine) -> World:
    """The small world on SQLite only."""
    return build_world(sqlite_engine)


@pytest.fixture
def event_date() -> date:
    return date(2026, 3, 10)
