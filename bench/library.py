"""The KPI library as the console calls it: every KPI function, and the five
SPEC KPIs shaped as `python -m lib.report` prints them (for the comparisons)."""
from __future__ import annotations

from typing import Callable

from lib.kpi import communities, engineers, orders, overview, retention, sla
from lib.report import _num
from lib.kpi.settings import KpiSettings

ST = KpiSettings()


def orders_section(bind, f) -> dict:
    totals = orders.order_totals(bind, f)
    by_day = orders.orders_by_day(bind, f)
    by_source = orders.orders_by(bind, f, "source")
    by_type = orders.orders_by(bind, f, "service_type")
    return {"total": totals.orders, "cancelled": totals.cancelled,
            "by_day": [{"date": r.period.isoformat(), "orders": int(r.orders)}
                       for r in by_day.itertuples()],
            "by_source": {r.key: int(r.orders) for r in by_source.itertuples() if r.orders},
            "by_service_type": {r.key: int(r.orders) for r in by_type.itertuples() if r.orders}}


def sla_section(bind, f) -> dict:
    summary = sla.sla_summary(bind, f, ST)
    return {"eligible": summary.eligible, "met": summary.met, "breached": summary.breached,
            "pending": summary.pending, "compliance": summary.compliance,
            "by_city": [{"city_id": int(r.city_id), "met": int(r.met), "breached": int(r.breached),
                         "pending": int(r.pending), "compliance": _num(r.compliance)}
                        for r in sla.sla_by_city(bind, f, ST).itertuples()]}


def engineers_section(bind, f) -> list:
    return [{"engineer_id": int(r.engineer_id), "ratings": int(r.ratings),
             "avg_stars": _num(r.avg_stars),
             "star_level": None if _num(r.star_level) is None else int(r.star_level)}
            for r in engineers.engineer_star_levels(bind, f, ST).itertuples()]


def retention_section(bind, f) -> list:
    return [{"cohort": c.cohort, "members": c.members, "retained": c.retained, "active": c.active}
            for c in retention.retention_cohorts(bind, f)]


def communities_section(bind, f) -> list:
    return [{"community_id": int(r.community_id), "orders": int(r.orders), "members": int(r.members),
             "avg_stars": _num(r.avg_stars), "maintenance_due": int(r.maintenance_due)}
            for r in communities.community_heat(bind, f, ST).itertuples()]


SECTIONS: dict[str, Callable] = {
    "orders": orders_section, "sla": sla_section, "engineers": engineers_section,
    "retention": retention_section, "communities": communities_section,
}


def _engineer_id(bind, f) -> int:
    """The engineer with the most ratings in the window (a busy detail page)."""
    table = engineers.engineer_star_levels(bind, f, ST)
    return int(table.sort_values(["ratings", "engineer_id"], ascending=[False, True])
               .iloc[0].engineer_id)


def functions(engineer_id: int) -> dict[str, Callable]:
    """name -> call(bind, filters): every public KPI function the pages and report use."""
    fns: dict[str, Callable] = {
        "orders.order_totals": lambda b, f: orders.order_totals(b, f),
        "orders.orders_change": lambda b, f: orders.orders_change(b, f),
        "orders.orders_by_day": lambda b, f: orders.orders_by_day(b, f),
        "orders.orders_over_time(week)": lambda b, f: orders.orders_over_time(b, f, grain="week"),
        "orders.orders_over_time(month)": lambda b, f: orders.orders_over_time(b, f, grain="month"),
        "orders.orders_over_time(day,city)":
            lambda b, f: orders.orders_over_time(b, f, grain="day", dimension="city"),
    }
    for dim in orders.DIMENSIONS:
        fns[f"orders.orders_by({dim})"] = lambda b, f, d=dim: orders.orders_by(b, f, d)
    for name in ("sla_summary", "sla_by_city", "sla_by_brand", "sla_by_cutoff", "sla_over_time",
                 "sla_at_risk", "sla_breaches"):
        fns[f"sla.{name}"] = lambda b, f, n=name: getattr(sla, n)(b, f, ST)
    fns.update({
        "engineers.engineer_star_levels": lambda b, f: engineers.engineer_star_levels(b, f, ST),
        "engineers.star_level_distribution":
            lambda b, f: engineers.star_level_distribution(b, f, ST),
        "engineers.first_time_fix": lambda b, f: engineers.first_time_fix(b, f),
        "engineers.engineer_detail": lambda b, f: engineers.engineer_detail(b, f, engineer_id, ST),
        "retention.retention_cohorts": lambda b, f: retention.retention_cohorts(b, f),
        "retention.retention_matrix(active)":
            lambda b, f: retention.retention_matrix(b, f, measure="active"),
        "retention.joins_and_leaves": lambda b, f: retention.joins_and_leaves(b, f),
        "communities.community_heat": lambda b, f: communities.community_heat(b, f, ST),
        "communities.maintenance_ranking":
            lambda b, f: communities.maintenance_ranking(b, f, ST, limit=30),
        "overview.home_overview": lambda b, f: overview.home_overview(b, f.as_of, ST),
    })
    return fns
