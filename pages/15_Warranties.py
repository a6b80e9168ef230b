"""Warranties: appliances by warranty type (extended for new machines, full for old ones),
coverage ending in the next 90 days by community, repairs under warranty."""
from functools import partial

import streamlit as st

from lib import charts
from lib.business import charts as biz_charts
from lib.business.warranties import EXPIRY_DAYS
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.ui import business_cache as cache
from lib.ui import draw
from lib.ui.filters import kpi_filters, partial_view
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import t

ctx = page_frame(page_for("pages/15_Warranties.py"))
filters = kpi_filters(ctx)
lang = ctx.language


def percent(value) -> str:
    return "–" if value is None or value != value else fmt.percent(float(value), lang)


st.caption(t("biz.warranty_note"))
with shown_errors():
    types = cache.warranty_figure(ctx, filters, "types")
    expiring = cache.warranty_figure(ctx, filters, "expiring")
    repairs = cache.warranty_figure(ctx, filters, "repairs_month")
    by_type = types.groupby("warranty", sort=False)[["appliances", "active"]].sum()
    n_repairs, n_under = int(repairs["repairs"].sum()), int(repairs["under_warranty"].sum())
    cards = st.columns(4)
    for card, warranty in zip(cards[:2], ("extended", "full")):
        card.metric(t(f"biz.warranty.{warranty}"),
                    fmt.number(int(by_type["appliances"].get(warranty, 0)), lang), border=True,
                    help=f"{t('biz.active')}: {fmt.number(int(by_type['active'].get(warranty, 0)), lang)}")
    cards[2].metric(t("biz.expiring", days=EXPIRY_DAYS),
                    fmt.number(int(expiring["total"].sum()) if len(expiring) else 0, lang), border=True)
    cards[3].metric(t("biz.under_share"), percent(n_under / n_repairs) if n_repairs else "–", border=True)
    if types.empty and n_repairs == 0:
        draw.empty()
        st.stop()

    st.subheader(t("biz.by_type"))
    totals = by_type.reset_index()
    totals["name"] = totals["warranty"].map(lambda w: t(f"biz.warranty.{w}"))
    draw.chart(partial(biz_charts.bars, totals, category="name", value="appliances",
                       category_title=t("biz.warranty"), value_title=t("biz.appliances"),
                       sort_by_value=False))
    table = types.assign(name=types["warranty"].map(lambda w: t(f"biz.warranty.{w}")),
                         category_name=types["category"].map(lambda c: t(f"biz.category.{c}")))
    draw.table(table, labels={"name": t("biz.warranty"), "category_name": t("biz.category"),
                              "appliances": t("biz.appliances"), "active": t("biz.active")},
               file_name="appliances-by-warranty.csv", key="warranty.types")

    st.subheader(t("biz.expiring_title", days=EXPIRY_DAYS))
    if expiring.empty:
        st.info(t("biz.no_expiring", days=EXPIRY_DAYS), icon="🔍")
    else:
        top = expiring.head(20).assign(label=lambda d: d["community"] + " · " + d["city"])
        draw.chart(partial(biz_charts.bars, top, category="label", value="total",
                           category_title=t("biz.community"), value_title=t("biz.total")))
        draw.table(expiring, labels={"community": t("biz.community"), "city": t("biz.city"),
                                     "standard": t("biz.warranty.standard"),
                                     "extended": t("biz.warranty.extended"), "full": t("biz.warranty.full"),
                                     "total": t("biz.total")},
                   file_name="warranties-expiring-by-community.csv", key="warranty.expiring", height=400)

    st.subheader(t("biz.repairs_title"))
    st.caption(t("biz.repairs_note"))
    if n_repairs == 0:
        draw.empty()
    else:
        shown_repairs, unfinished = partial_view(repairs.dropna(subset=["share"]), "month", "month", filters)
        draw.chart(partial(charts.over_time, shown_repairs, x="month", y="share", grain="month",
                           partial=unfinished, partial_label=t("i18n.partial"), scale_to_data=True,
                           percent=True, x_title=t("biz.month"), y_title=t("biz.under_share")))
        kinds = cache.warranty_figure(ctx, filters, "repairs_type")
        kinds = kinds.assign(name=kinds["warranty"].map(lambda w: t(f"biz.warranty.{w}")),
                             share=[u / n if n else None for u, n in zip(kinds["under_warranty"], kinds["repairs"])])
        draw.table(repairs.assign(share_text=repairs["share"].map(percent)),
                   labels={"month": t("biz.month"), "repairs": t("biz.repairs"),
                           "under_warranty": t("biz.under_warranty"), "share_text": t("biz.under_share")},
                   export=repairs.assign(share_text=repairs["share"]), percent=("share_text",),
                   file_name="repairs-under-warranty.csv",
                   key="warranty.repairs")
        draw.table(kinds.assign(share_text=kinds["share"].map(percent)),
                   labels={"name": t("biz.warranty"), "repairs": t("biz.repairs"),
                           "under_warranty": t("biz.under_warranty"), "share_text": t("biz.under_share")},
                   export=kinds.assign(share_text=kinds["share"]), percent=("share_text",),
                   file_name="repairs-by-warranty-type.csv", key="warranty.repair_types")
