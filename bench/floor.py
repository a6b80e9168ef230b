"""The floor: one hand-written SQL query per KPI, shaped in Python afterwards.

Each KPI is one statement written for the dialect by hand (no ORM, no
portability layer), returning as few rows as the KPI allows; Python only
reshapes those rows into the `python -m lib.report` form. The library should
be within 2x of these; the figures must be equal.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from lib.kpi.retention import MONTHS, add_months, cohort_months
from lib.kpi.settings import KpiSettings

from bench.naive import star_level_by_hand

ST = KpiSettings()


def _dialect(bind) -> str:
    return bind.dialect.name


def _params(bind, f, **extra) -> dict:
    """Bound moments: the short text form on SQLite (see lib/kpi/sql.py), datetimes elsewhere."""
    values = {"start": f.range_start, "upper": min(f.range_end, f.as_of_next),
              "as_of": f.as_of, "as_of_next": f.as_of_next, **extra}
    if _dialect(bind) == "sqlite":
        values = {k: v.strftime("%Y-%m-%d %H:%M:%S") if hasattr(v, "strftime") else v
                  for k, v in values.items()}
    return values


def _run(bind, sql: str, params: dict):
    if _dialect(bind) == "duckdb":
        return bind.run(sql, params)
    from lib.kpi.common import connect
    with connect(bind) as connection:
        return connection.execute(text(sql), params).all()


def _ratio(n, d):
    return n / d if d else None


LIVE = "(o.cancelled_at IS NULL OR o.cancelled_at >= :as_of_next)"


def orders_section(bind, f) -> dict:
    day = "substr(o.created_at, 1, 10)" if _dialect(bind) == "sqlite" else "CAST(o.created_at AS DATE)"
    sql = f"""
        SELECT {day} AS day, o.source, o.service_type,
               SUM(CASE WHEN {LIVE} THEN 1 ELSE 0 END) AS live, COUNT(*) AS n
        FROM service_orders o
        WHERE o.created_at >= :start AND o.created_at < :upper
        GROUP BY 1, 2, 3"""
    per_day, sources, types = {}, {}, {}
    total = everything = 0
    for d, source, kind, live, n in _run(bind, sql, _params(bind, f)):
        d = str(d)[:10]
        per_day[d] = per_day.get(d, 0) + live
        sources[source] = sources.get(source, 0) + live
        types[kind] = types.get(kind, 0) + live
        total += live
        everything += n
    days = [(f.start + timedelta(days=i)).isoformat() for i in range(f.days)]
    return {"total": total, "cancelled": everything - total,
            "by_day": [{"date": d, "orders": per_day.get(d, 0)} for d in days],
            "by_source": {k: v for k, v in sorted(sources.items()) if v},
            "by_service_type": {k: v for k, v in sorted(types.items()) if v}}


def sla_section(bind, f) -> dict:
    if _dialect(bind) == "sqlite":
        # due + 1 s as text: 'YYYY-MM-DD 00:00:01' or '... 12:00:01' of the next day
        before = f"substr(o.created_at, 12, 2) < '{ST.sla_cutoff_hour:02d}'"
        due = (f"datetime(o.created_at, 'start of day', CASE WHEN {before} "
               f"THEN '+{ST.due_offset_seconds(True)} seconds' "
               f"ELSE '+{ST.due_offset_seconds(False)} seconds' END)")
        due1 = (f"datetime(o.created_at, 'start of day', CASE WHEN {before} "
                f"THEN '+{ST.due_offset_seconds(True) + 1} seconds' "
                f"ELSE '+{ST.due_offset_seconds(False) + 1} seconds' END)")
        created_day = "substr(o.created_at, 1, 10)"
    else:
        before = f"EXTRACT(HOUR FROM o.created_at) < {ST.sla_cutoff_hour}"
        due = (f"(date_trunc('day', o.created_at) + CASE WHEN {before} "
               f"THEN {ST.due_offset_seconds(True)} ELSE {ST.due_offset_seconds(False)} END "
               f"* INTERVAL '1 second')")
        due1 = f"({due} + INTERVAL '1 second')"
        created_day = "CAST(o.created_at AS DATE)"
    done = "(o.completed_at IS NOT NULL AND o.completed_at < :as_of_next)"
    # CROSS JOIN: SQLite keeps the orders as the outer loop, so it reads only
    # the installs of the range (ix_service_orders_type_created) instead of
    # every order of every community (PostgreSQL plans it as an inner join).
    sql = f"""
        SELECT c.city_id,
               SUM(CASE WHEN {done} AND o.completed_at < {due1} THEN 1 ELSE 0 END) AS met,
               SUM(CASE WHEN ({done} AND o.completed_at >= {due1})
                          OR (NOT {done} AND {due} < :as_of) THEN 1 ELSE 0 END) AS breached,
               SUM(CASE WHEN NOT {done} AND {due} >= :as_of THEN 1 ELSE 0 END) AS pending
        FROM service_orders o
        CROSS JOIN communities c
        CROSS JOIN cities ci
        WHERE c.id = o.community_id AND ci.id = c.city_id
          AND o.service_type = 'install' AND o.created_at >= :start AND o.created_at < :upper
          AND {LIVE} AND ci.sla_24h_since IS NOT NULL AND ci.sla_24h_since <= {created_day}
        GROUP BY c.city_id ORDER BY c.city_id"""
    rows = _run(bind, sql, _params(bind, f))
    met = sum(r.met for r in rows)
    breached = sum(r.breached for r in rows)
    pending = sum(r.pending for r in rows)
    return {"eligible": met + breached + pending, "met": met, "breached": breached,
            "pending": pending, "compliance": _ratio(met, met + breached),
            "by_city": [{"city_id": r.city_id, "met": r.met, "breached": r.breached,
                         "pending": r.pending, "compliance": _ratio(r.met, r.met + r.breached)}
                        for r in rows]}


def engineers_section(bind, f) -> list:
    sql = f"""
        SELECT e.id, w.n, w.stars FROM engineers e
        LEFT JOIN (SELECT o.engineer_id, COUNT(*) AS n, SUM(r.stars) AS stars
                   FROM ratings r JOIN service_orders o ON o.id = r.order_id
                   WHERE r.rated_at >= :window AND r.rated_at < :as_of_next
                     AND o.engineer_id IS NOT NULL AND o.created_at < :as_of_next AND {LIVE}
                   GROUP BY o.engineer_id) w ON w.engineer_id = e.id
        WHERE e.registered_at < :as_of_next ORDER BY e.id"""
    window = f.as_of - timedelta(days=ST.star_window_days)
    out = []
    for engineer_id, n, stars in _run(bind, sql, _params(bind, f, window=window)):
        n, stars = int(n or 0), int(stars or 0)
        out.append({"engineer_id": engineer_id, "ratings": n,
                    "avg_stars": stars / n if n else None, "star_level": star_level_by_hand(n, stars)})
    return out


def retention_section(bind, f) -> list:
    """All cohorts in one pass: members by cohort and leaving month, and each member's
    orders of its first twelve months (joined-at index, then the member/created index)
    counted once per cohort and month."""
    months = cohort_months(f)
    if _dialect(bind) == "duckdb":   # the analytical path (bench/analytical.py)
        month = "strftime({}, '%Y-%m')"
        first_of = "date_trunc('month', {})"
        year_after = "(date_trunc('month', {}) + INTERVAL '12 months')"
    elif _dialect(bind) == "sqlite":
        month = "substr({}, 1, 7)"
        first_of = "datetime({}, 'start of month')"
        year_after = "datetime({}, 'start of month', '+12 months')"
    else:
        month = "to_char({}, 'YYYY-MM')"
        first_of = "date_trunc('month', {})"
        year_after = "(date_trunc('month', {}) + INTERVAL '12 months')"
    # Orders count toward month k only while month k has ended: before the last
    # month boundary at or before as-of.
    boundary = add_months(f.as_of.date(), 0)
    first, after = months[0], add_months(months[-1].date(), 1)
    sql = f"""
        SELECT 'm' AS kind, {month.format('joined_at')} AS cohort, {month.format('left_at')} AS month,
               COUNT(*) AS n
        FROM members WHERE joined_at >= :first AND joined_at < :joined_upper
        GROUP BY 2, 3
        UNION ALL
        SELECT 'a', {month.format('m.joined_at')}, {month.format('o.created_at')},
               COUNT(DISTINCT o.member_id)
        FROM members m JOIN service_orders o ON o.member_id = m.id
        WHERE m.joined_at >= :first AND m.joined_at < :joined_upper
          AND o.created_at >= {first_of.format('m.joined_at')}
          AND o.created_at < {year_after.format('m.joined_at')}
          AND o.created_at < :boundary AND {LIVE}
        GROUP BY 2, 3"""
    params = _params(bind, f, first=first, joined_upper=min(after, f.as_of_next),
                     boundary=boundary)
    left: dict = {}
    active: dict = {}
    for kind, cohort, m, n in _run(bind, sql, params):
        (left if kind == "m" else active).setdefault(cohort, {})[m] = int(n)
    out = []
    for start in months:
        label = start.strftime("%Y-%m")
        if label not in left:
            continue
        size = sum(left[label].values())
        ends = [add_months(start.date(), k + 1) for k in range(MONTHS)]
        retained, act = [], []
        for k, end in enumerate(ends):
            if end > f.as_of:
                retained.append(None)
                act.append(None)
                continue
            gone = sum(n for m, n in left[label].items() if m is not None and m < end.strftime("%Y-%m"))
            retained.append((size - gone) / size)
            act.append(active.get(label, {}).get(add_months(start.date(), k).strftime("%Y-%m"), 0)
                       / size)
        out.append({"cohort": label, "members": size, "retained": retained, "active": act})
    return out


def communities_section(bind, f) -> list:
    intervals = sorted(ST.interval_days.items())
    threshold = " ".join(f"WHEN a.category = '{k}' THEN :t_{k}" for k, _ in intervals)
    categories = ", ".join(f"'{k}'" for k, _ in intervals)
    resets = "', '".join(("cleaning", "maintenance", "filter_change"))
    reset = (f"WHERE o.appliance_id = a.id AND o.service_type IN ('{resets}') "
             f"AND o.completed_at IS NOT NULL AND o.completed_at < :as_of_next "
             f"AND o.created_at < :as_of_next AND {LIVE}")
    sql = f"""
        WITH live_members AS (
            SELECT id, community_id FROM members
            WHERE joined_at < :as_of_next AND (left_at IS NULL OR left_at >= :as_of_next)),
        ord AS (
            SELECT o.community_id, COUNT(*) AS n, COUNT(r.id) AS rated, SUM(r.stars) AS stars
            FROM service_orders o
            LEFT JOIN ratings r ON r.order_id = o.id AND r.rated_at < :as_of_next
            WHERE o.created_at >= :start AND o.created_at < :upper AND {LIVE}
            GROUP BY o.community_id),
        mem AS (SELECT community_id, COUNT(*) AS n FROM live_members GROUP BY community_id),
        due AS (
            -- last reset (or purchase) before the threshold: no reset since the
            -- threshold, and bought before it or reset at some time
            SELECT lm.community_id, COUNT(*) AS n
            FROM appliances a JOIN live_members lm ON lm.id = a.member_id
            WHERE a.category IN ({categories}) AND a.purchased_at < :as_of_next
              AND NOT EXISTS (SELECT 1 FROM service_orders o {reset}
                                AND o.completed_at >= CASE {threshold} END)
              AND (a.purchased_at < CASE {threshold} END
                   OR EXISTS (SELECT 1 FROM service_orders o {reset}))
            GROUP BY lm.community_id)
        SELECT c.id, ord.n, ord.rated, ord.stars, mem.n, due.n
        FROM communities c
        LEFT JOIN ord ON ord.community_id = c.id
        LEFT JOIN mem ON mem.community_id = c.id
        LEFT JOIN due ON due.community_id = c.id
        ORDER BY c.id"""
    extra = {f"t_{k}": f.as_of - timedelta(days=d) for k, d in intervals}
    out = []
    for cid, n, rated, stars, members, due in _run(bind, sql, _params(bind, f, **extra)):
        rated, stars = int(rated or 0), int(stars or 0)
        out.append({"community_id": cid, "orders": int(n or 0), "members": int(members or 0),
                    "avg_stars": stars / rated if rated else None, "maintenance_due": int(due or 0)})
    return out


SECTIONS = {"orders": orders_section, "sla": sla_section, "engineers": engineers_section,
            "retention": retention_section, "communities": communities_section}
