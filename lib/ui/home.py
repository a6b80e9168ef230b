"""The home page: the figures of the day for the signed-in role."""
from __future__ import annotations

import streamlit as st

from lib.i18n import formatting as fmt
from lib.kpi.overview import home_overview
from lib.timeutil import now_local
from lib.ui.text import plain, t

CARDS_PER_ROW = 3  # wider cards keep the longer Chinese labels whole


def overview(ctx) -> None:
    actor, lang = ctx.user.actor, ctx.language
    st.subheader(t("home.welcome", name=plain(ctx.user.display_name)))
    as_of = now_local()
    figures = home_overview(ctx.engine, as_of=as_of)
    cards = []
    if actor.may("kpi.orders"):
        cards += [(t("home.orders_today"), fmt.number(figures.today_orders, lang), None),
                  (t("home.orders_month"), fmt.number(figures.month_orders, lang), None)]
    if actor.may("kpi.sla"):
        sla = figures.month_sla
        value = fmt.percent(sla.compliance, lang) if sla.compliance is not None else t("home.no_sla_yet")
        cards.append((t("home.sla_month"), value,
                      t("home.sla_detail", met=fmt.number(sla.met, lang),
                        breached=fmt.number(sla.breached, lang))))
    if actor.may("certifications.review"):
        cards.append((t("home.pending_certifications"),
                      fmt.number(figures.pending_certifications, lang), None))
    if actor.may("coupons.manage"):
        cards.append((t("home.pending_trade_ins"), fmt.number(figures.pending_trade_ins, lang), None))
    for row in range(0, len(cards), CARDS_PER_ROW):
        for column, (label, value, help_text) in zip(st.columns(CARDS_PER_ROW),
                                                     cards[row:row + CARDS_PER_ROW]):
            column.metric(label, value, help=help_text, border=True)
    st.caption(t("app.data_as_of", moment=fmt.moment(as_of, lang)))
