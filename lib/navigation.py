"""The console's pages: file, title, icon and the permission that opens it.

The sidebar menu shows a user the pages their roles allow; each page checks
the same permission itself before it reads anything (lib.ui.frame).
Icons are emoji on purpose: `:material/...:` icons fetch a font from outside.
"""
from __future__ import annotations

from dataclasses import dataclass

from lib.roles import Actor


@dataclass(frozen=True)
class Page:
    path: str
    title_key: str
    icon: str
    permission: str | None  # None: every signed-in user


HOME = Page("Home.py", "page.home", "🏠", None)

PAGES: tuple[Page, ...] = (
    HOME,
    # KPIs (SPEC)
    Page("pages/1_Orders.py", "page.orders", "📦", "kpi.orders"),
    Page("pages/2_Install_Promise.py", "page.sla", "⏱️", "kpi.sla"),
    Page("pages/3_Engineers.py", "page.engineers", "🧑‍🔧", "kpi.engineers"),
    Page("pages/4_Members.py", "page.members", "👥", "kpi.retention"),
    Page("pages/5_Communities.py", "page.communities", "🗺️", "kpi.communities"),
    # The managers' business analyses
    Page("pages/11_Complaints.py", "page.complaints", "💬", "kpi.reviews"),
    Page("pages/12_Parts_Feedback.py", "page.parts", "🔩", "kpi.parts"),
    Page("pages/13_Brand_Mix.py", "page.brand_mix", "🤝", "kpi.brand_mix"),
    Page("pages/14_Engineer_Pay.py", "page.engineer_pay", "💴", "kpi.engineer_pay"),
    Page("pages/15_Warranties.py", "page.warranties", "🛡️", "kpi.warranties"),
    # Drill-down (issue 16): the orders behind a figure, one order, one engineer
    Page("pages/16_Order_List.py", "page.order_list", "📋", "orders.list"),
    Page("pages/17_Order_Lookup.py", "page.order_lookup", "🔎", "orders.list"),
    Page("pages/18_Engineer.py", "page.engineer", "🪪", "kpi.engineers"),
    Page("pages/19_Digest_Log.py", "page.digest_log", "📨", "digest.log"),
    Page("pages/20_Alert_Rules.py", "page.alert_rules", "🚨", "alerts.edit"),
    # Admin workflows
    Page("pages/6_Certifications.py", "page.certifications", "🎓", "certifications.review"),
    Page("pages/7_Trade_in_Coupons.py", "page.coupons", "🎟️", "coupons.manage"),
    Page("pages/8_Free_Repair_Days.py", "page.free_repair_days", "🛠️", "free_repair_days.plan"),
    Page("pages/9_Users.py", "page.users", "🔑", "users.manage"),
    Page("pages/10_Audit_Log.py", "page.audit", "📜", "audit.read"),
)


def pages_for(actor: Actor) -> list[Page]:
    return [page for page in PAGES if page.permission is None or actor.may(page.permission)]


def page_for(path: str) -> Page:
    return next(page for page in PAGES if page.path == path)
