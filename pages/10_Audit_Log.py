"""Admin: the append-only audit log, filtered."""
import pandas as pd
import streamlit as st

from lib import audit
from lib.navigation import page_for
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import t

ctx = page_frame(page_for("pages/10_Audit_Log.py"))

with shown_errors():
    everything = t("audit.filter_all")
    left, right = st.columns(2)
    action = left.selectbox(t("audit.filter_action"),
                            [everything, *audit.actions(ctx.engine, actor=ctx.user.actor)])
    who = right.text_input(t("audit.filter_user"), max_chars=64).strip().lower()
    rows = audit.entries(ctx.engine, actor=ctx.user.actor,
                         action=None if action == everything else action, username=who or None)
    if rows:
        st.caption(t("audit.count", count=len(rows)))
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.info(t("audit.empty"))
