"""HR's briefing: applications waiting too long (oldest first), and the pending
applications split by what a decision on them would be."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from lib.briefing import links
from lib.briefing.items import Item, Row
from lib.briefing.links import link
from lib.briefing.settings import BriefingSettings
from lib.commands.settings import load_settings as command_settings
from lib.db import schema as s
from lib.kpi.common import Bind, connect, count_if
from lib.kpi.sql import moment

cert, eng = s.engineer_certifications, s.engineers


def waiting_item(bind: Bind, as_of: datetime, bs: BriefingSettings) -> Item:
    """Pending applications applied more than `hr_waiting_days` before as-of, oldest first."""
    limit = moment(as_of - timedelta(days=bs.hr_waiting_days))
    where = [cert.c.status == "pending", cert.c.applied_at < limit]
    oldest = (select(cert.c.id, eng.c.name, cert.c.category, cert.c.applied_at)
              .select_from(cert.join(eng, eng.c.id == cert.c.engineer_id)).where(*where)
              .order_by(cert.c.applied_at, cert.c.id).limit(bs.list_rows))
    with connect(bind) as connection:
        count = int(connection.execute(select(func.count()).select_from(cert).where(*where)).scalar() or 0)
        rows = connection.execute(oldest).all()
    seed = {"cert.min_days": bs.hr_waiting_days}
    return Item("hr.waiting", {"applications": count, "days": bs.hr_waiting_days},
                tone="warn" if count else "ok",
                rows=tuple(Row({"cert_id": int(r.id), "name": r.name, "kind_category": r.category,
                                "waiting": (as_of - r.applied_at).days},
                               link(links.CERTIFICATIONS, seed=seed)) for r in rows),
                link=link(links.CERTIFICATIONS, seed=seed))


def decision_counts(bind: Bind, as_of: datetime, pass_mark: int) -> dict:
    """Pending applications applied by as-of: ready (score at or over the pass mark,
    both cards verified), refused (score under the pass mark), unverified (score
    passes, a card not verified yet), no_score (no exam taken)."""
    passes = cert.c.exam_score >= pass_mark
    verified = and_(cert.c.id_verified.is_(True), cert.c.work_card_verified.is_(True))
    query = (select(count_if(and_(passes, verified)).label("ready"),
                    count_if(cert.c.exam_score < pass_mark).label("refused"),
                    count_if(and_(passes, ~verified)).label("unverified"),
                    count_if(cert.c.exam_score.is_(None)).label("no_score"))
             .where(cert.c.status == "pending", cert.c.applied_at < moment(as_of + timedelta(seconds=1))))
    with connect(bind) as connection:
        row = connection.execute(query).one()
    return {name: int(getattr(row, name) or 0) for name in ("ready", "refused", "unverified", "no_score")}


def decisions_item(bind: Bind, as_of: datetime, bs: BriefingSettings) -> Item:
    pass_mark = command_settings().pass_mark
    counts = decision_counts(bind, as_of, pass_mark)
    return Item("hr.decisions", {**counts, "pass_mark": pass_mark},
                tone="warn" if counts["ready"] else "ok", link=link(links.CERTIFICATIONS))


def hr_items(bind: Bind, as_of: datetime, bs: BriefingSettings) -> list[Item]:
    return [waiting_item(bind, as_of, bs), decisions_item(bind, as_of, bs)]
