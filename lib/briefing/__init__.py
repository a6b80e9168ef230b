"""The briefing per role (issue 16): what needs doing, with the link where it is done.

    briefing(bind, actor=actor, as_of=now)  ->  Briefing(items=...)

Each role's items are read only if the actor may see them (lib.roles): manager
items need the SLA and order KPIs, HR's the certification review, marketing's
the coupon and free-repair-day work. Every figure is a database query in
lib/briefing/{manager,hr,marketing}.py.
"""
from __future__ import annotations

from datetime import datetime

from lib.briefing.hr import hr_items
from lib.briefing.items import Briefing, Item
from lib.briefing.manager import manager_items
from lib.briefing.marketing import marketing_items
from lib.briefing.settings import BriefingSettings, load_settings
from lib.kpi.common import Bind, connect
from lib.kpi.settings import KpiSettings
from lib.roles import Actor, PermissionDenied

SECTIONS = ("manager", "hr", "marketing")
SECTION_PERMISSIONS = {"manager": ("kpi.orders", "kpi.sla"), "hr": ("certifications.review",),
                       "marketing": ("coupons.manage", "free_repair_days.plan")}


def sections_for(actor: Actor) -> list[str]:
    return [name for name in SECTIONS if all(actor.may(p) for p in SECTION_PERMISSIONS[name])]


def briefing_section(bind: Bind, *, actor: Actor, section: str, as_of: datetime,
                     settings: KpiSettings | None = None,
                     briefing_settings: BriefingSettings | None = None) -> list[Item]:
    """One section's items; refused (PermissionDenied) if the actor may not read it."""
    if section not in sections_for(actor):
        raise PermissionDenied(actor, f"briefing.{section}")
    st, bs = settings or KpiSettings(), briefing_settings or load_settings()
    with connect(bind) as connection:
        if section == "manager":
            return manager_items(connection, as_of, st, bs)
        if section == "hr":
            return hr_items(connection, as_of, bs)
        return marketing_items(connection, as_of, bs, st)


def briefing(bind: Bind, *, actor: Actor, as_of: datetime, settings: KpiSettings | None = None,
             briefing_settings: BriefingSettings | None = None) -> Briefing:
    items: list[Item] = []
    for section in sections_for(actor):
        items += briefing_section(bind, actor=actor, section=section, as_of=as_of, settings=settings,
                                  briefing_settings=briefing_settings)
    return Briefing(role=",".join(actor.roles), as_of=as_of, items=tuple(items))
