"""The KPI library as the console calls it: every KPI function, and the five
SPEC KPIs shaped as `python -m lib.report` prints them (for the comparisons)."""
from __future__ import annotations

from typing import Callable

from lib.kpi import communities, engineers, orders, overview, retention, sla
from lib import report
from lib.kpi.settings import KpiSettings

ST = KpiSettings()


# The report's own sections, so the benchmark times exactly what it prints.
SECTIONS: dict[str, Callable] = {
    name: (lambda bind, f, section=section: section(bind, f, ST))
    for name, section in report.SECTIONS.items()
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
