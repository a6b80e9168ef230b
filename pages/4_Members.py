"""Member retention: cohort heatmaps of retained and active members, and joins
against leaves per month by joining channel."""
from functools import partial

import streamlit as st

from lib import charts
from lib.db.schema import MEMBER_CHANNELS
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.ui import cache, draw
from lib.ui.filters import compare_metric, compared, kpi_filters, partial_view
from lib.ui.frame import page_frame, shown_errors
from lib.ui.kept import kept
from lib.ui.text import t

ctx = page_frame(page_for("pages/4_Members.py"))
filters = kpi_filters(ctx)
MONTHS = list(range(12))
lang = ctx.language


def percent_cells(raw):
    """The cohort table's shares in the page's percent format, a month not ended yet blank
    (hundreds of Babel calls: kept, not redone per render)."""
    return raw.assign(**{str(k): raw[str(k)].map(lambda v: "" if v != v else fmt.percent(v, lang))
                         for k in MONTHS})


with shown_errors():
    st.caption(t("kp.mem.scope"))
    flows, flows_then = cache.joins_and_leaves(ctx, filters), cache.joins_and_leaves(ctx, compared(filters))
    cards = st.columns(3)
    for card, measure in zip(cards, ("joins", "leaves")):
        compare_metric(card, t(f"kp.mem.{measure}"), int(flows[measure].sum()) if len(flows) else 0,
                       int(flows_then[measure].sum()) if len(flows_then) else 0, ctx.language,
                       lower_is_better=measure == "leaves")
    channel = st.selectbox(t("kp.mem.channel"), (None, *MEMBER_CHANNELS), key="members.channel",
                           format_func=lambda c: t("kp.mem.all_channels") if c is None else t(f"kp.channel.{c}"))
    tabs = st.tabs([t("kp.mem.retained"), t("kp.mem.active")])
    for tab, measure in zip(tabs, ("retained", "active")):
        with tab:
            matrix = cache.retention_matrix(ctx, filters, measure, channel)
            if matrix.empty:
                draw.empty()
                continue
            draw.chart(partial(charts.cohort_heatmap, matrix, cohort_title=t("kp.mem.cohort"),
                               month_title=t("kp.mem.month_k"), value_title=t(f"kp.mem.{measure}")))
            # shares as the page's one percent format; a month not ended yet is blank, never "None"
            raw = matrix.reset_index().astype({k: float for k in MONTHS})
            raw = raw.rename(columns={k: str(k) for k in MONTHS})
            frame = kept(("members.percent_cells", raw, lang), lambda: percent_cells(raw))
            labels = {"cohort": t("kp.mem.cohort"), "members": t("kp.mem.members"),
                      **{str(k): t("kp.mem.month_n", n=k) for k in MONTHS}}
            draw.table(frame, labels=labels, file_name=f"members-{measure}.csv", key=f"members.{measure}",
                       export=raw, percent=tuple(str(k) for k in MONTHS))

    st.subheader(t("kp.mem.flows"))
    if flows.empty:
        draw.empty()
    else:
        flows = flows.assign(channel_name=flows["channel"].map(lambda c: t(f"kp.channel.{c}")))
        drawn, unfinished = partial_view(flows, "month", "month", filters)   # the running month, marked
        draw.chart(partial(charts.diverging_bars, drawn, x="month", up="joins", down="leaves",
                           color="channel_name", x_title=t("kp.month"), y_title=t("kp.mem.members"),
                           color_title=t("kp.mem.channel"), up_label=t("kp.mem.joins"),
                           down_label=t("kp.mem.leaves"), partial=unfinished,
                           partial_label=t("i18n.partial")))
        draw.table(flows, labels={"month": t("kp.month"), "channel_name": t("kp.mem.channel"),
                                  "joins": t("kp.mem.joins"), "leaves": t("kp.mem.leaves")},
                   file_name="members-joins-leaves.csv", key="members.flows")
