"""The manager's (and admin's) morning briefing, every figure from the database.

- breaches: installs due yesterday (due after 00:00 and by 24:00) and breached
  now, by city and by engineer;
- at risk: open installs now in the four bands (KPI 2), and the next due;
- cities under the compliance target over the last 7 days, against the 7 before;
- engineers whose star level is lower than 30 days ago;
- orders today (up to now) against the same weekday last week (up to the same time);
- first-time-fix rate over the last 90 days against its target.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, or_, select

from lib.briefing import links
from lib.briefing.items import Item, Row
from lib.briefing.links import link
from lib.briefing.orders import OrderQuery, _source, _where, order_list
from lib.briefing.settings import BriefingSettings
from lib.db import schema as s
from lib.kpi.common import Bind, as_int, connect, count_if, orders
from lib.kpi.engineers import first_time_fix, star_level
from lib.kpi.filters import KpiFilters
from lib.kpi.orders import order_totals
from lib.kpi.settings import KpiSettings
from lib.kpi.sla import sla_at_risk, sla_by_city
from lib.kpi.sql import integer, moment

AT_RISK_DAYS = 90
FTF_DAYS = 90
STAR_COMPARE_DAYS = 30


def _due_span_days(st: KpiSettings) -> int:
    """How many days before its due day an order can have been created."""
    return max(st.sla_due_before_cutoff[0], st.sla_due_after_cutoff[0]) + 1


def yesterdays_breaches_query(as_of: datetime, st: KpiSettings) -> OrderQuery:
    yesterday = as_of.date() - timedelta(days=1)
    return OrderQuery(start=yesterday - timedelta(days=_due_span_days(st)), end=yesterday,
                      sla_state="breached", due_from=yesterday, due_to=yesterday)


def breaches_grouped(bind: Bind, q: OrderQuery, as_of: datetime, st: KpiSettings,
                     by: str) -> pd.DataFrame:
    """key, label, breached: the orders of `q` grouped by city or by engineer, most first."""
    f = q.filters(as_of)
    if by == "city":
        key, label, source = s.cities.c.id, s.cities.c.name, _source()
    else:
        key, label = orders.c.engineer_id, s.engineers.c.name
        source = _source().outerjoin(s.engineers, s.engineers.c.id == orders.c.engineer_id)
    query = (select(key.label("key"), label.label("label"), func.count().label("breached"))
             .select_from(source).where(*_where(q, f, st))
             .group_by(key, label).order_by(func.count().desc(), key))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["key", "label", "breached"])


def breaches_item(bind, as_of, st, bs: BriefingSettings) -> Item:
    q = yesterdays_breaches_query(as_of, st)
    by_city = breaches_grouped(bind, q, as_of, st, "city")
    by_engineer = breaches_grouped(bind, q, as_of, st, "engineer")
    total = int(by_city["breached"].sum())
    rows = [Row({"kind_by": "city", "name": r.label, "breached": int(r.breached)},
                link(links.ORDER_LIST, **q.with_(city_ids=(int(r.key),)).params()))
            for r in by_city.head(bs.list_rows).itertuples()]
    rows += [Row({"kind_by": "engineer", "name": r.label if r.key is not None else None,
                  "breached": int(r.breached)},
                 link(links.ORDER_LIST, **q.with_(engineer_id=int(r.key)).params())
                 if r.key is not None else None)
             for r in by_engineer.head(bs.list_rows).itertuples()]
    return Item("mgr.breaches", {"breached": total, "day": q.due_to},
                tone="bad" if total else "ok", rows=tuple(rows),
                link=link(links.ORDER_LIST, **q.params()))


def at_risk_item(bind, as_of, st, bs: BriefingSettings) -> Item:
    today = as_of.date()
    window = KpiFilters(start=today - timedelta(days=AT_RISK_DAYS - 1), end=today, as_of=as_of)
    bands = sla_at_risk(bind, window, st).set_index("band")["orders"]
    q = OrderQuery(start=window.start, end=window.end, sla_state="pending", sort="due_at",
                   descending=False)
    following = order_list(bind, q, as_of, st, limit=bs.list_rows)
    rows = tuple(Row({"order_id": int(r.order_id), "city": r.city, "due_at": r.due_at},
                     link(links.ORDER_LOOKUP, order=int(r.order_id)))
                 for r in following.itertuples())
    late = int(bands.get("past_three_quarters", 0)) + int(bands.get("overdue", 0))
    return Item("mgr.at_risk", {"under_half": int(bands.get("under_half", 0)),
                                "half": int(bands.get("half_to_three_quarters", 0)),
                                "three_quarters": int(bands.get("past_three_quarters", 0)),
                                "overdue": int(bands.get("overdue", 0))},
                tone="bad" if int(bands.get("overdue", 0)) else ("warn" if late else "ok"), rows=rows,
                link=link(links.ORDER_LIST, **q.params()))


def cities_under_target(bind, as_of, st, target: float) -> pd.DataFrame:
    """city_id, city, compliance (last 7 days), previous (the 7 before), breached: cities
    under `target` over the last 7 days (with met or breached orders), worst first."""
    today = as_of.date()
    now = KpiFilters(start=today - timedelta(days=6), end=today, as_of=as_of)
    before = KpiFilters(start=today - timedelta(days=13), end=today - timedelta(days=7), as_of=as_of)
    current = sla_by_city(bind, now, st)
    previous = sla_by_city(bind, before, st).set_index("city_id")["compliance"]
    current = current[(current["met"] + current["breached"] > 0) & (current["compliance"] < target)]
    frame = current.assign(previous=current["city_id"].map(previous))
    return frame.sort_values(["compliance", "city_id"])[
        ["city_id", "city", "compliance", "previous", "breached"]].reset_index(drop=True)


def compliance_item(bind, as_of, st, bs: BriefingSettings) -> Item:
    under = cities_under_target(bind, as_of, st, bs.compliance_target)
    today = as_of.date()
    rows = tuple(Row({"city": r.city, "compliance": float(r.compliance),
                      "previous": None if pd.isna(r.previous) else float(r.previous),
                      "breached": int(r.breached)},
                     link(links.SLA, preset="last_7_days", city=int(r.city_id)))
                 for r in under.head(bs.list_rows).itertuples())
    return Item("mgr.compliance", {"cities": len(under), "target": float(bs.compliance_target)},
                tone="bad" if len(under) else "ok", rows=rows,
                link=link(links.ORDER_LIST, **OrderQuery(start=today - timedelta(days=6), end=today,
                                                         sla_state="breached").params()))


def star_drops(bind, as_of: datetime, st: KpiSettings) -> pd.DataFrame:
    """engineer_id, name, level, before: engineers rated now and 30 days ago whose level
    (KPI 3, each as of its own moment) is lower now, biggest drop first.

    One pass over the ratings of both windows (conditional sums), not two star tables.
    """
    then = as_of - timedelta(days=STAR_COMPARE_DAYS)
    r = s.ratings
    windows = {}
    for name, at in (("now", as_of), ("then", then)):
        upper = moment(at + timedelta(seconds=1))
        windows[name] = and_(r.c.rated_at >= moment(at - timedelta(days=st.star_window_days)),
                             r.c.rated_at < upper,
                             or_(orders.c.cancelled_at.is_(None), orders.c.cancelled_at >= upper))
    stars = lambda cond: func.sum(case((cond, r.c.stars), else_=integer(0)))
    query = (select(orders.c.engineer_id, s.engineers.c.name,
                    count_if(windows["now"]).label("n_now"), stars(windows["now"]).label("s_now"),
                    count_if(windows["then"]).label("n_then"), stars(windows["then"]).label("s_then"))
             .select_from(r.join(orders, orders.c.id == r.c.order_id)
                          .join(s.engineers, s.engineers.c.id == orders.c.engineer_id))
             .where(r.c.rated_at >= moment(then - timedelta(days=st.star_window_days)),
                    r.c.rated_at < moment(as_of + timedelta(seconds=1)))
             .group_by(orders.c.engineer_id, s.engineers.c.name))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    data = []
    for row in rows:
        level = star_level(as_int(row.n_now), as_int(row.s_now), st)
        before = star_level(as_int(row.n_then), as_int(row.s_then), st)
        if level is not None and before is not None and level < before:
            data.append((row.engineer_id, row.name, level, before))
    frame = pd.DataFrame(data, columns=["engineer_id", "name", "level", "before"])
    frame = frame.assign(drop=frame["before"] - frame["level"])
    return frame.sort_values(["drop", "engineer_id"], ascending=[False, True]) \
        .drop(columns="drop").reset_index(drop=True)


def star_item(bind, as_of, st, bs: BriefingSettings) -> Item:
    drops = star_drops(bind, as_of, st)
    rows = tuple(Row({"name": r.name, "level": int(r.level), "before": int(r.before)},
                     link(links.ENGINEER, engineer=int(r.engineer_id)))
                 for r in drops.head(bs.list_rows).itertuples())
    return Item("mgr.stars", {"engineers": len(drops), "days": STAR_COMPARE_DAYS},
                tone="warn" if len(drops) else "ok", rows=rows, link=link(links.ENGINEERS))


def orders_item(bind, as_of, st, bs: BriefingSettings) -> Item:
    today = as_of.date()
    week_ago = as_of - timedelta(days=7)
    now = order_totals(bind, KpiFilters(start=today, end=today, as_of=as_of)).orders
    then = order_totals(bind, KpiFilters(start=week_ago.date(), end=week_ago.date(),
                                         as_of=week_ago)).orders
    change = (now - then) / then if then else None
    return Item("mgr.orders", {"today": now, "last_week": then, "change_rate": change,
                               "kind_weekday": f"weekday{today.weekday()}"},
                tone="warn" if change is not None and change < -0.2 else "ok",
                link=link(links.ORDER_LIST, **OrderQuery(start=today, end=today).params()))


def first_time_fix_item(bind, as_of, st, bs: BriefingSettings) -> Item:
    today = as_of.date()
    f = KpiFilters(start=today - timedelta(days=FTF_DAYS - 1), end=today, as_of=as_of)
    fix = first_time_fix(bind, f)
    repairs, fixed = int(fix["repairs"].sum()), int(fix["fixed"].sum())
    rate = fixed / repairs if repairs else None
    return Item("mgr.ftf", {"rate": rate, "target": float(bs.first_time_fix_target), "repairs": repairs,
                            "days": FTF_DAYS},
                tone="ok" if rate is None or rate >= bs.first_time_fix_target else "warn",
                link=link(links.ENGINEERS))


def manager_items(bind: Bind, as_of: datetime, st: KpiSettings, bs: BriefingSettings) -> list[Item]:
    return [fn(bind, as_of, st, bs) for fn in (breaches_item, at_risk_item, compliance_item,
                                                star_item, orders_item, first_time_fix_item)]
