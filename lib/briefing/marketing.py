"""Marketing's briefing: trade-in requests waiting longest, coupons about to
expire unredeemed, communities with most maintenance due and no free-repair
day planned soon, and the free-repair days coming up with their engineers."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, select

from lib.briefing import links
from lib.briefing.items import Item, Row
from lib.briefing.links import link
from lib.briefing.settings import BriefingSettings
from lib.db import schema as s
from lib.kpi.common import Bind, connect
from lib.kpi.communities import maintenance_due_query
from lib.kpi.filters import KpiFilters
from lib.kpi.settings import KpiSettings
from lib.kpi.sql import moment

trade, coupons, frd, frde = s.trade_in_requests, s.coupons, s.free_repair_days, s.free_repair_day_engineers


def trade_ins_item(bind: Bind, as_of: datetime, bs: BriefingSettings) -> Item:
    where = [trade.c.status == "pending", trade.c.reported_at < moment(as_of + timedelta(seconds=1))]
    oldest = (select(trade.c.id, trade.c.category, trade.c.old_brand, trade.c.reported_at)
              .where(*where).order_by(trade.c.reported_at, trade.c.id).limit(bs.list_rows))
    with connect(bind) as connection:
        count = int(connection.execute(select(func.count()).select_from(trade).where(*where)).scalar() or 0)
        rows = connection.execute(oldest).all()
    return Item("mkt.trade_ins", {"requests": count}, tone="warn" if count else "ok",
                rows=tuple(Row({"request_id": int(r.id), "kind_category": r.category, "brand": r.old_brand,
                                "waiting": (as_of - r.reported_at).days}, link(links.COUPONS))
                           for r in rows),
                link=link(links.COUPONS))


def expiring_item(bind: Bind, as_of: datetime, bs: BriefingSettings) -> Item:
    """Issued, not redeemed coupons expiring after as-of and within `coupon_expiry_days`."""
    where = [coupons.c.status == "issued", coupons.c.redeemed_at.is_(None),
             coupons.c.expires_at >= moment(as_of),
             coupons.c.expires_at < moment(as_of + timedelta(days=bs.coupon_expiry_days))]
    query = select(func.count(), func.sum(coupons.c.value_fen), func.min(coupons.c.expires_at)).where(*where)
    with connect(bind) as connection:
        count, value, first = connection.execute(query).one()
    if isinstance(first, str):  # SQLite aggregate of a text column
        first = datetime.fromisoformat(first)
    return Item("mkt.expiring", {"coupons": int(count or 0), "value_fen": int(value or 0),
                                 "days": bs.coupon_expiry_days, "first": first},
                tone="warn" if count else "ok",
                link=link(links.COUPONS, seed={"coupon.status": "issued"}))


def unplanned_communities(bind: Bind, today: date, bs: BriefingSettings, st: KpiSettings) -> list:
    """(community_id, name, city, due): most maintenance due first, without a planned
    free-repair day from today to `free_repair_horizon_days` ahead (as of 00:00 today)."""
    f = KpiFilters(start=today, end=today, as_of=datetime.combine(today, datetime.min.time()))
    due = maintenance_due_query(f, st)
    if due is None:
        return []
    due = due.subquery()
    c = s.communities
    planned = exists().where(frd.c.community_id == c.c.id, frd.c.status == "planned",
                             frd.c.event_date >= today,
                             frd.c.event_date <= today + timedelta(days=bs.free_repair_horizon_days))
    query = (select(c.c.id, c.c.name, s.cities.c.name.label("city"), due.c.due)
             .select_from(due.join(c, c.c.id == due.c.community_id)
                          .join(s.cities, s.cities.c.id == c.c.city_id))
             .where(~planned, due.c.due > 0).order_by(due.c.due.desc(), c.c.id).limit(bs.list_rows))
    with connect(bind) as connection:
        return [tuple(r) for r in connection.execute(query)]


def communities_item(bind: Bind, as_of: datetime, bs: BriefingSettings, st: KpiSettings) -> Item:
    rows = unplanned_communities(bind, as_of.date(), bs, st)
    return Item("mkt.communities", {"communities": len(rows), "days": bs.free_repair_horizon_days},
                tone="warn" if rows else "ok",
                rows=tuple(Row({"name": name, "city": city, "due": int(due)},
                               link(links.FREE_REPAIR_DAYS, seed={"frd.search": name},
                                    community=int(cid)))
                           for cid, name, city, due in rows),
                link=link(links.FREE_REPAIR_DAYS))


def upcoming_days(bind: Bind, today: date, bs: BriefingSettings) -> list[dict]:
    """Planned free-repair days from today to the horizon: id, event_date, community,
    city, capacity, engineers (names, booked), soonest first."""
    c = s.communities
    query = (select(frd.c.id, frd.c.event_date, c.c.name.label("community"), s.cities.c.name.label("city"),
                    frd.c.capacity)
             .select_from(frd.join(c, c.c.id == frd.c.community_id).join(s.cities, s.cities.c.id == c.c.city_id))
             .where(frd.c.status == "planned", frd.c.event_date >= today,
                    frd.c.event_date <= today + timedelta(days=bs.free_repair_horizon_days))
             .order_by(frd.c.event_date, frd.c.id).limit(bs.list_rows))
    with connect(bind) as connection:
        days = [dict(r._mapping) for r in connection.execute(query)]
        ids = [d["id"] for d in days]
        booked = connection.execute(
            select(frde.c.free_repair_day_id, s.engineers.c.name)
            .select_from(frde.join(s.engineers, s.engineers.c.id == frde.c.engineer_id))
            .where(frde.c.free_repair_day_id.in_(ids)).order_by(frde.c.free_repair_day_id, s.engineers.c.name)
        ).all() if ids else []
    for day in days:
        day["engineers"] = [name for day_id, name in booked if day_id == day["id"]]
    return days


def upcoming_item(bind: Bind, as_of: datetime, bs: BriefingSettings) -> Item:
    days = upcoming_days(bind, as_of.date(), bs)
    return Item("mkt.upcoming", {"events": len(days), "days": bs.free_repair_horizon_days},
                tone="ok",
                rows=tuple(Row({"day": d["event_date"], "community": d["community"], "city": d["city"],
                                "engineers": tuple(d["engineers"]) or None,
                                "booked": len(d["engineers"]), "capacity": int(d["capacity"])},
                               link(links.FREE_REPAIR_DAYS)) for d in days),
                link=link(links.FREE_REPAIR_DAYS))


def marketing_items(bind: Bind, as_of: datetime, bs: BriefingSettings, st: KpiSettings) -> list[Item]:
    return [trade_ins_item(bind, as_of, bs), expiring_item(bind, as_of, bs),
            communities_item(bind, as_of, bs, st), upcoming_item(bind, as_of, bs)]
