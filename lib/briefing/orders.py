"""The order list behind a figure (drill-down) and one order's lookup.

`OrderQuery` is what a link carries in its URL (ids, dates and enum words;
`from_params` drops what does not parse). The list is one paged query and one
count, both in the database; sorting is on a fixed set of columns. Personal
data: member names and phone numbers are masked before they leave this module;
a phone number is only ever *matched* in the database (`orders_by_phone`).

SLA state and due moment follow KPI 2 (lib.kpi.sla): they are set for eligible
installs only; asking for an SLA state or a due range keeps only those.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, literal, null, select

from lib.db import schema as s
from lib.db.schema import SERVICE_TYPES, SOURCES
from lib.kpi.common import (Bind, cancelled, completed, connect, created_in_range, happened,
                            order_scope, orders)
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sla import _eligible, _states, due_at
from lib.kpi.sql import moment
from lib.masking import mask_name, mask_phone

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 10_000
DEFAULT_DAYS = 30
SORTS = ("created_at", "due_at", "completed_at", "id")
SLA_STATES = ("met", "breached", "pending")
STATES = ("open", "completed", "cancelled")
LIST_COLUMNS = ["order_id", "created_at", "city", "community", "service_type", "category",
                "brand", "engineer_id", "engineer", "member", "phone", "state", "due_at",
                "sla_state", "completed_at"]


@dataclass(frozen=True)
class OrderQuery:
    start: date
    end: date
    city_ids: tuple[int, ...] = ()
    brand_ids: tuple[int, ...] = ()
    service_types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    engineer_id: int | None = None
    community_id: int | None = None
    sla_state: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    state: str | None = None
    sort: str = "created_at"
    descending: bool = True
    page: int = 1

    @property
    def needs_eligible(self) -> bool:
        return self.sla_state is not None or self.due_from is not None or self.due_to is not None

    def filters(self, as_of: datetime) -> KpiFilters:
        return KpiFilters(start=self.start, end=self.end, as_of=as_of, city_ids=self.city_ids,
                          brand_ids=self.brand_ids, service_types=self.service_types,
                          sources=self.sources)

    def params(self) -> dict[str, str]:
        """The URL parameters of this query (defaults left out, except the range)."""
        out = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for name, key in (("city_ids", "city"), ("brand_ids", "brand"), ("service_types", "type"),
                          ("sources", "source")):
            if getattr(self, name):
                out[key] = ",".join(str(v) for v in getattr(self, name))
        for name, key in (("engineer_id", "engineer"), ("community_id", "community"),
                          ("sla_state", "sla"), ("due_from", "due_from"), ("due_to", "due_to"),
                          ("state", "state")):
            value = getattr(self, name)
            if value is not None:
                out[key] = value.isoformat() if isinstance(value, date) else str(value)
        if self.sort != "created_at":
            out["sort"] = self.sort
        if not self.descending:
            out["asc"] = "1"
        if self.page != 1:
            out["page"] = str(self.page)
        return out

    def with_(self, **changes) -> "OrderQuery":
        return replace(self, **changes)


def _day(text) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _ints(text) -> tuple[int, ...]:
    out = []
    for part in str(text or "").split(","):
        part = part.strip()
        if part.isascii() and part.isdigit() and len(part) <= 12 and int(part) not in out:
            out.append(int(part))
    return tuple(out)


def _words(text, allowed) -> tuple[str, ...]:
    out = []
    for part in str(text or "").split(","):
        if part.strip() in allowed and part.strip() not in out:
            out.append(part.strip())
    return tuple(out)


def _one(text) -> int | None:
    ids = _ints(text)
    return ids[0] if len(ids) == 1 else None


def from_params(params: dict, today: date) -> OrderQuery:
    """The query a URL asks for; missing or bad values fall back to the defaults
    (the last 30 days, newest first, page 1)."""
    start, end = _day(params.get("from")), _day(params.get("to"))
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        start, end = end, start
    due_from, due_to = _day(params.get("due_from")), _day(params.get("due_to"))
    page = _one(params.get("page")) or 1
    return OrderQuery(
        start=start, end=end, city_ids=_ints(params.get("city")), brand_ids=_ints(params.get("brand")),
        service_types=_words(params.get("type"), SERVICE_TYPES), sources=_words(params.get("source"), SOURCES),
        engineer_id=_one(params.get("engineer")), community_id=_one(params.get("community")),
        sla_state=params.get("sla") if params.get("sla") in SLA_STATES else None,
        due_from=due_from, due_to=due_to,
        state=params.get("state") if params.get("state") in STATES else None,
        sort=params.get("sort") if params.get("sort") in SORTS else "created_at",
        descending=params.get("asc") != "1", page=max(1, min(page, 100_000)))


# -- the SQL ----------------------------------------------------------------------
def _source():
    return (orders.join(s.communities, s.communities.c.id == orders.c.community_id)
            .join(s.cities, s.cities.c.id == s.communities.c.city_id))


def _where(q: OrderQuery, f: KpiFilters, st: KpiSettings) -> list:
    clauses = [created_in_range(f), *order_scope(f)]
    if q.engineer_id is not None:
        clauses.append(orders.c.engineer_id == q.engineer_id)
    if q.community_id is not None:
        clauses.append(orders.c.community_id == q.community_id)
    if q.state == "cancelled":
        clauses.append(cancelled(f))
    elif q.state == "completed":
        clauses += [completed(f), ~cancelled(f)]
    elif q.state == "open":
        clauses += [~completed(f), ~cancelled(f)]
    if q.needs_eligible:
        clauses += _eligible(f)[1:5]  # install, not cancelled, city covered (range and scope are there)
        if q.sla_state:
            clauses.append(_states(f, st)[q.sla_state])
        # due on a day: after its 00:00 and at the latest at its 24:00 (an order due at
        # "24:00 that day" is that day's). Both sides are computed/bound short forms on SQLite.
        if q.due_from:
            clauses.append(due_at(st) > moment(datetime.combine(q.due_from, datetime.min.time())))
        if q.due_to:
            clauses.append(due_at(st) <= moment(datetime.combine(q.due_to + timedelta(days=1),
                                                                 datetime.min.time())))
    return clauses


def _columns(f: KpiFilters, st: KpiSettings) -> list:
    states = _states(f, st)
    eligible = and_(*_eligible(f)[1:5])  # install, not cancelled, city covered since creation day
    sla_state = case((~eligible, null()), (states["met"], literal("met")),
                     (states["breached"], literal("breached")), else_=literal("pending"))
    state = case((cancelled(f), literal("cancelled")), (completed(f), literal("completed")),
                 else_=literal("open"))
    return [orders.c.id.label("order_id"), orders.c.created_at, s.cities.c.name.label("city"),
            s.communities.c.name.label("community"), orders.c.service_type, orders.c.category,
            s.brands.c.name.label("brand"), orders.c.engineer_id, s.engineers.c.name.label("engineer"),
            s.members.c.name.label("member"), s.members.c.phone.label("phone"),
            state.label("state"), case((eligible, due_at(st)), else_=null()).label("due_at"),
            sla_state.label("sla_state"),
            case((completed(f), orders.c.completed_at), else_=null()).label("completed_at")]


def order_list(bind: Bind, q: OrderQuery, as_of: datetime, settings: KpiSettings | None = None, *,
               page_size: int = PAGE_SIZE, limit: int | None = None) -> pd.DataFrame:
    """One page of the orders (LIST_COLUMNS), member name and phone masked.
    `limit` instead of paging: the first `limit` rows (the CSV export)."""
    st = settings or KpiSettings()
    f = q.filters(as_of)
    cols = _columns(f, st)
    key = {"created_at": orders.c.created_at, "completed_at": orders.c.completed_at,
           "id": orders.c.id, "due_at": due_at(st)}[q.sort]
    order = [key.desc() if q.descending else key.asc(),
             orders.c.id.desc() if q.descending else orders.c.id.asc()]
    source = (_source().join(s.brands, s.brands.c.id == orders.c.brand_id)
              .join(s.members, s.members.c.id == orders.c.member_id)
              .outerjoin(s.engineers, s.engineers.c.id == orders.c.engineer_id))
    query = select(*cols).select_from(source).where(*_where(q, f, st)).order_by(*order)
    if limit is not None:
        query = query.limit(int(limit))
    else:
        query = query.limit(int(page_size)).offset((q.page - 1) * int(page_size))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=LIST_COLUMNS)
    frame["member"] = frame["member"].map(mask_name)
    frame["phone"] = frame["phone"].map(mask_phone)
    return frame


def order_count(bind: Bind, q: OrderQuery, as_of: datetime, settings: KpiSettings | None = None) -> int:
    st = settings or KpiSettings()
    f = q.filters(as_of)
    query = select(func.count()).select_from(_source()).where(*_where(q, f, st))
    with connect(bind) as connection:
        return int(connection.execute(query).scalar() or 0)


# -- lookup -------------------------------------------------------------------------
ORDER_NUMBER = re.compile(r"^\s*#?\s*(\d{1,12})\s*$")
PHONE = re.compile(r"^\+?[\d\s-]{7,20}$")
PHONE_MATCHES = 50


def parse_lookup(text: str) -> tuple[str, str] | None:
    """("order", digits) for an order number (up to 9 digits, optional #), ("phone",
    digits) for a full phone number (11 digits, or with +86), None otherwise."""
    text = (text or "").strip()
    digits = re.sub(r"[\s-]", "", text).removeprefix("+86")
    if text.startswith("#") or (digits.isdigit() and len(digits) <= 9):
        match = ORDER_NUMBER.match(text)
        return ("order", match.group(1)) if match else None
    if PHONE.match(text) and digits.isdigit() and len(digits) >= 7:
        return "phone", digits
    return None


def orders_by_phone(bind: Bind, phone: str, *, limit: int = PHONE_MATCHES) -> pd.DataFrame:
    """The orders of the member whose phone is exactly `phone` (matched in the database,
    never listed): order_id, created_at, service_type, phone (masked); newest first."""
    query = (select(orders.c.id.label("order_id"), orders.c.created_at, orders.c.service_type,
                    s.members.c.phone)
             .select_from(orders.join(s.members, s.members.c.id == orders.c.member_id))
             .where(s.members.c.phone == phone)
             .order_by(orders.c.created_at.desc(), orders.c.id.desc()).limit(int(limit)))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["order_id", "created_at", "service_type", "phone"])
    frame["phone"] = frame["phone"].map(mask_phone)
    return frame


@dataclass(frozen=True)
class OrderDetail:
    order_id: int
    service_type: str
    category: str
    source: str
    channel: str
    city: str
    community: str
    brand: str
    member: str            # masked
    phone: str             # masked
    engineer_id: int | None
    engineer: str | None
    timeline: list         # [(event, moment)] in order: created, dispatched, arrived, completed/cancelled
    due_at: datetime | None     # eligible installs only
    sla_state: str | None       # met, breached, pending; None: not an eligible install
    stars: int | None
    comment: str | None
    rated_at: datetime | None
    parts: pd.DataFrame         # part_name, qty, cost_fen
    fee_fen: int


def order_detail(bind: Bind, order_id: int, as_of: datetime,
                 settings: KpiSettings | None = None) -> OrderDetail | None:
    """One order as of `as_of` (None if it does not exist by then): its timeline, due
    moment and SLA state (KPI 2), engineer, rating and comment, parts used."""
    st = settings or KpiSettings()
    f = KpiFilters(start=date(2000, 1, 1), end=as_of.date(), as_of=as_of)
    cols = _columns(f, st)
    extra = [orders.c.dispatched_at, orders.c.arrived_at, orders.c.cancelled_at, orders.c.source,
             orders.c.channel, orders.c.fee_fen, s.ratings.c.stars, s.ratings.c.comment,
             s.ratings.c.rated_at]
    rated = and_(s.ratings.c.order_id == orders.c.id, happened(s.ratings.c.rated_at, f))
    source = (_source().join(s.brands, s.brands.c.id == orders.c.brand_id)
              .join(s.members, s.members.c.id == orders.c.member_id)
              .outerjoin(s.engineers, s.engineers.c.id == orders.c.engineer_id)
              .outerjoin(s.ratings, rated))
    query = (select(*cols, *extra).select_from(source)
             .where(orders.c.id == int(order_id), orders.c.created_at < moment(f.as_of_next)))
    parts = (select(s.parts_used.c.part_name, s.parts_used.c.qty, s.parts_used.c.cost_fen)
             .where(s.parts_used.c.order_id == int(order_id)).order_by(s.parts_used.c.id))
    with connect(bind) as connection:
        row = connection.execute(query).first()
        if row is None:
            return None
        part_rows = connection.execute(parts).all()
    timeline = [("created", row.created_at)]
    for event, value in (("dispatched", row.dispatched_at), ("arrived", row.arrived_at),
                         ("completed", row.completed_at if row.state == "completed" else None),
                         ("cancelled", row.cancelled_at if row.state == "cancelled" else None)):
        if value is not None and value <= as_of:
            timeline.append((event, value))
    return OrderDetail(
        order_id=row.order_id, service_type=row.service_type, category=row.category, source=row.source,
        channel=row.channel, city=row.city, community=row.community, brand=row.brand,
        member=mask_name(row.member), phone=mask_phone(row.phone), engineer_id=row.engineer_id,
        engineer=row.engineer, timeline=timeline, due_at=row.due_at, sla_state=row.sla_state,
        stars=row.stars, comment=row.comment, rated_at=row.rated_at,
        parts=pd.DataFrame([tuple(p) for p in part_rows], columns=["part_name", "qty", "cost_fen"]),
        fee_fen=int(row.fee_fen))
