"""Engineer pay: payouts of completed orders per engineer and month, orders, average per
order, and the total paid per month; money in yuan."""
from functools import partial

import streamlit as st

from lib import charts
from lib.business import charts as biz_charts
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.ui import business_cache as cache
from lib.ui import draw
from lib.ui.filters import kpi_filters, partial_view
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import t

ctx = page_frame(page_for("pages/14_Engineer_Pay.py"))
filters = kpi_filters(ctx)
lang = ctx.language


st.caption(t("biz.pay_note"))
with shown_errors():
    months = cache.engineer_pay_by(ctx, filters, "month")
    orders, paid = int(months["orders"].sum()), int(months["payout_fen"].sum())
    people = cache.engineer_pay_by(ctx, filters, "engineer")
    cards = st.columns([3, 2, 2, 2])  # the total in yuan is the longest figure
    cards[0].metric(t("biz.pay_total"), fmt.money_fen(paid, lang), border=True)
    cards[1].metric(t("biz.pay_orders"), fmt.number(orders, lang), border=True)
    cards[2].metric(t("biz.pay_avg"), fmt.money_fen(paid / orders, lang) if orders else "–", border=True)
    cards[3].metric(t("biz.pay_engineers"), fmt.number(len(people), lang), border=True)
    if orders == 0:
        draw.empty()
        st.stop()

    st.subheader(t("biz.pay_by_month"))
    chart, unfinished = partial_view(months.assign(paid_yuan=months["payout_fen"] / 100), "month", "month",
                                     filters)
    draw.chart(partial(charts.over_time, chart, x="month", y="paid_yuan", grain="month", mark="bar",
                       partial=unfinished, partial_label=t("i18n.partial"),
                       x_title=t("biz.month"), y_title=t("biz.pay_yuan")))
    month_labels = {"month": t("biz.month"), "orders": t("biz.pay_orders"), "engineers": t("biz.pay_engineers"),
                    "paid": t("biz.pay_yuan"), "avg": t("biz.pay_avg_yuan")}
    shown, export = cache.engineer_pay_table(ctx, filters, "month", lang)
    draw.table(shown, labels=month_labels, file_name="engineer-pay-by-month.csv", key="pay.month",
               export=export, fen=("paid", "avg"))

    st.subheader(t("biz.pay_top"))
    top = people.head(20).assign(paid_yuan=people["payout_fen"].head(20) / 100,
                                 label=people.head(20).apply(lambda r: f"{r['engineer']} #{r['engineer_id']}", axis=1))
    draw.chart(partial(biz_charts.bars, top, category="label", value="paid_yuan",
                       category_title=t("biz.engineer"), value_title=t("biz.pay_yuan")))

    st.subheader(t("biz.pay_per_engineer"))
    shown, export = cache.engineer_pay_table(ctx, filters, "engineer_month", lang)
    detail_labels = {"engineer_id": t("biz.engineer_id"), "engineer": t("biz.engineer"), "month": t("biz.month"),
                     "orders": t("biz.pay_orders"), "paid": t("biz.pay_yuan"), "avg": t("biz.pay_avg_yuan")}
    draw.table(shown, labels=detail_labels, file_name="engineer-pay-by-engineer-and-month.csv",
               key="pay.detail", export=export, fen=("paid", "avg"), height=420)
