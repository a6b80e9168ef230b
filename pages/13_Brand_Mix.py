"""Own sales against partner brands: the partner-brand share of orders by month and by city."""
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
from lib.ui.text import city, t

ctx = page_frame(page_for("pages/13_Brand_Mix.py"))
filters = kpi_filters(ctx)
lang = ctx.language


def percent(value) -> str:
    return fmt.percent(None if value is None or value != value else float(value), lang)


st.caption(t("biz.mix_note"))
with shown_errors():
    months = cache.brand_mix_by(ctx, filters, "month")
    own, partner = int(months["own_sales"].sum()), int(months["partner_brand"].sum())
    cards = st.columns(4)
    cards[0].metric(t("biz.own_sales"), fmt.number(own, lang), border=True)
    cards[1].metric(t("biz.partner_brand"), fmt.number(partner, lang), border=True)
    cards[2].metric(t("biz.partner_share"), percent(partner / (own + partner)) if own + partner else "–",
                    border=True)
    cards[3].metric(t("biz.mix_ratio"), f"{round(10 * own / (own + partner))} : {round(10 * partner / (own + partner))}"
                    if own + partner else "–", border=True)
    if own + partner == 0:
        draw.empty()
        st.stop()

    st.subheader(t("biz.mix_over_time"))
    shares, unfinished = partial_view(months.dropna(subset=["partner_share"]), "month", "month", filters)
    draw.chart(partial(charts.over_time, shares, x="month", y="partner_share", grain="month", percent=True,
                       partial=unfinished, partial_label=t("i18n.partial"), scale_to_data=True,
                       x_title=t("biz.month"), y_title=t("biz.partner_share")))
    st.subheader(t("biz.mix_counts"))
    long = months.melt(id_vars="month", value_vars=["own_sales", "partner_brand"], var_name="source",
                       value_name="orders")
    long["source"] = long["source"].map(lambda s: t(f"biz.{s}"))
    draw.chart(partial(biz_charts.stacked_counts, long, x="month", y="orders", color="source",
                       x_title=t("biz.month"), y_title=t("kp.orders"), color_title=t("biz.source")))
    draw.table(months.assign(share_text=months["partner_share"].map(percent)),
               labels={"month": t("biz.month"), "own_sales": t("biz.own_sales"),
                       "partner_brand": t("biz.partner_brand"), "share_text": t("biz.partner_share")},
               export=months.assign(share_text=months["partner_share"]), percent=("share_text",),
               file_name="brand-mix-by-month.csv",
               key="mix.month")

    st.subheader(t("biz.mix_by_city"))
    cities = cache.brand_mix_by(ctx, filters, "city")
    cities = cities.assign(city=cities["city"].map(city)).sort_values(
        "partner_share", ascending=False, na_position="last")   # like its chart
    draw.chart(partial(biz_charts.bars, cities.dropna(subset=["partner_share"]), category="city",
                       value="partner_share", category_title=t("biz.city"),
                       value_title=t("biz.partner_share"), percent=True))
    draw.table(cities.assign(share_text=cities["partner_share"].map(percent)),
               labels={"city": t("biz.city"), "own_sales": t("biz.own_sales"),
                       "partner_brand": t("biz.partner_brand"), "share_text": t("biz.partner_share")},
               export=cities.assign(share_text=cities["partner_share"]), percent=("share_text",),
               file_name="brand-mix-by-city.csv",
               key="mix.city")

    st.subheader(t("biz.mix_city_month"))
    grid = cache.brand_mix_by(ctx, filters, "city_month")
    wide = grid.pivot_table(index="city", columns="month", values="partner_share", aggfunc="first").reset_index()
    months_shown = [c for c in wide.columns if c != "city"]
    # the page's one percent format; a month without orders is blank, never "None"
    raw = wide.assign(city=wide["city"].map(city)).rename(columns={c: str(c) for c in months_shown})
    wide = wide.assign(city=wide["city"].map(city), **{str(c): wide[c].map(
        lambda v: "" if v != v or v is None else percent(v)) for c in months_shown})
    draw.table(wide, labels={"city": t("biz.city"), **{str(c): str(c) for c in months_shown}},
               export=raw, percent=tuple(str(c) for c in months_shown),
               file_name="brand-mix-by-city-and-month.csv", key="mix.city_month")
