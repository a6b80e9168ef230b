"""The home page's figures at a glance, each computed in the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from lib.db import schema as s
from lib.kpi.common import Bind, as_int, connect
from lib.kpi.filters import KpiFilters
from lib.kpi.orders import order_totals
from lib.kpi.settings import KpiSettings
from lib.kpi.sla import SlaSummary, sla_summary
from lib.kpi.sql import moment


@dataclass(frozen=True)
class HomeOverview:
    as_of: datetime
    today_orders: int              # created today up to as-of, not cancelled by as-of
    month_orders: int              # created this month up to as-of, not cancelled
    month_sla: SlaSummary          # eligible installs created this month (met, breached, ...)
    pending_certifications: int    # status pending, applied by as-of
    pending_trade_ins: int         # status pending, reported by as-of


def home_overview(bind: Bind, as_of: datetime, settings: KpiSettings | None = None) -> HomeOverview:
    """Today's and this month's orders, this month's 24-hour compliance, and the
    work waiting for HR (certifications) and marketing (trade-in requests).

    Statuses are the current ones (the database keeps no status history); only
    rows created by as-of are counted.
    """
    today = as_of.date()
    day = KpiFilters(start=today, end=today, as_of=as_of)
    month = KpiFilters(start=today.replace(day=1), end=today, as_of=as_of)
    cert, trade = s.engineer_certifications, s.trade_in_requests
    upper = moment(day.as_of_next)
    with connect(bind) as connection:
        certifications = connection.execute(
            select(func.count()).where(cert.c.status == "pending", cert.c.applied_at < upper)
        ).scalar()
        trade_ins = connection.execute(
            select(func.count()).where(trade.c.status == "pending", trade.c.reported_at < upper)
        ).scalar()
        return HomeOverview(
            as_of=as_of,
            today_orders=order_totals(connection, day).orders,
            month_orders=order_totals(connection, month).orders,
            month_sla=sla_summary(connection, month, settings),
            pending_certifications=as_int(certifications),
            pending_trade_ins=as_int(trade_ins))
