"""Admin: the append-only audit log, readable (translated, changes as field: old → new), filtered, exportable."""
from datetime import datetime, timedelta

import streamlit as st

from lib import audit
from lib.export import ranged_name
from lib.navigation import page_for
from lib.timeutil import now_local
from lib.ui.admin import audit_frame, exported_csv, label
from lib.ui import draw
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import t

ctx = page_frame(page_for("pages/10_Audit_Log.py"))
actor = ctx.user.actor
LIMIT = 1000
today = now_local().date()

with shown_errors():
    left, middle, right = st.columns([2, 2, 3])
    action = left.selectbox(t("audit.filter_action"), [None, *audit.actions(ctx.engine, actor=actor)],
                            key="audit.action",
                            format_func=lambda a: t("audit.filter_all") if a is None else label("action", a))
    who = middle.text_input(t("forms.audit.filter_name"), max_chars=64, key="audit.who",
                            help=t("forms.audit.filter_name_help")).strip()
    period = right.date_input(t("forms.audit.period"), value=(today - timedelta(days=30), today),
                              key="audit.period")
    start, end = (period[0], period[-1]) if isinstance(period, (tuple, list)) and period else (None, None)
    filters = dict(action=action, name_part=who or None,
                   since=datetime.combine(start, datetime.min.time()) if start else None,
                   until=datetime.combine(end + timedelta(days=1), datetime.min.time()) if end else None)
    rows = audit.entries(ctx.engine, actor=actor, limit=LIMIT, **filters)
    if not rows:
        st.info(t("audit.empty"))
    else:
        st.caption(t("audit.count", count=len(rows)))
        draw.dataframe(audit_frame(rows), hide_index=True, width="stretch", key="audit.table",
                     row_height=60)
        st.download_button(t("forms.audit.download"), exported_csv(
            lambda: audit_frame(audit.entries(ctx.engine, actor=actor, limit=LIMIT, **filters)),
            engine=ctx.engine, actor=actor, page="Audit_Log", what="audit log"),
            file_name=ranged_name("audit-log", start or today, end or today), mime="text/csv", key="audit.download",
            icon="⬇️", on_click="ignore")
