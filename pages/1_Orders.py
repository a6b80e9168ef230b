"""Order volume: by day, ISO week or month; split by city, brand, service type,
source and channel; cancelled apart; change against the previous period."""
from functools import partial

import streamlit as st

from lib import charts
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.ui import cache, draw
from lib.ui.drill import ORDER_DIMENSIONS, drill_chart, orders_of, response_times_section
from lib.ui.filters import compare_metric, compared, kpi_filters, partial_view
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import city, t

ctx = page_frame(page_for("pages/1_Orders.py"))
filters = kpi_filters(ctx)
lang = ctx.language
DIMENSIONS = ("city", "brand", "service_type", "source", "channel")


def value_label(dimension: str, row) -> str:
    if dimension == "city":
        return city(row["label"])
    if dimension == "brand":
        return str(row["label"])
    return t(f"kp.{dimension}.{row['key']}")


with shown_errors():
    totals = cache.order_totals(ctx, filters)
    before = cache.order_totals(ctx, compared(filters))
    by_source = cache.orders_by(ctx, filters, "source").set_index("key")["orders"]
    own, partner = int(by_source.get("own_sales", 0)), int(by_source.get("partner_brand", 0))
    cards = st.columns(3)
    compare_metric(cards[0], t("kp.orders.total"), totals.orders, before.orders, lang)
    compare_metric(cards[1], t("kp.orders.cancelled"), totals.cancelled, before.cancelled, lang,
                   help_text=t("kp.orders.cancelled_note"), lower_is_better=True)
    share = own + partner
    cards[2].metric(t("kp.orders.own_partner"),
                    f"{fmt.percent(own / share, lang, 0)} : {fmt.percent(partner / share, lang, 0)}"
                    if share else "–", border=True)

    if totals.orders == 0 and totals.cancelled == 0:
        draw.empty()
        st.stop()

    st.subheader(t("kp.orders.over_time"))
    left, right = st.columns(2)
    grain = left.segmented_control(t("kp.orders.grain"), ("day", "week", "month"), key="orders.grain",
                                   default="day", format_func=lambda g: t(f"kp.grain.{g}"),
                                   required=True) or "day"
    split = right.selectbox(t("kp.orders.split"), ("none", *DIMENSIONS), key="orders.split",
                            format_func=lambda d: t(f"kp.dimension.{d}"))
    x_title = t({"day": "kp.date", "week": "kp.week", "month": "kp.month"}[grain])
    if split == "none":
        frame = cache.orders_over_time(ctx, filters, grain)
        frame, unfinished = partial_view(frame, "period", grain, filters)
        long = frame.melt(id_vars="period", value_vars=["orders", "cancelled"],
                          var_name="series", value_name="count")
        long["series"] = long["series"].map({"orders": t("kp.orders"), "cancelled": t("kp.cancelled")})
        draw.chart(partial(charts.over_time, long, x="period", y="count", color="series", grain=grain,
                           x_title=x_title, y_title=t("kp.count"),
                           color_title=t("kp.series"), partial=unfinished,
                           partial_label=t("i18n.partial")))
        table = frame.assign(period=frame["period"].astype(str))
        draw.table(table, labels={"period": x_title, "orders": t("kp.orders"),
                                  "cancelled": t("kp.cancelled")},
                   file_name=f"orders-by-{grain}.csv", key="orders.over_time")
    else:
        frame = cache.orders_over_time(ctx, filters, grain, split)
        names = cache.orders_by(ctx, filters, split)
        names = {row["key"]: value_label(split, row) for _, row in names.iterrows()}
        frame = frame.assign(value=frame["key"].map(lambda k: names.get(k, t("kp.unknown"))))
        frame, unfinished = partial_view(frame, "period", grain, filters)
        frame = charts.top_n(frame, category="value", value="orders", other_label=t("i18n.other"),
                             keys=("period",))
        draw.chart(partial(charts.over_time, frame, x="period", y="orders", color="value", grain=grain,
                           mark="bar", x_title=x_title, y_title=t("kp.orders"),
                           color_title=t(f"kp.dimension.{split}"), partial=unfinished,
                           partial_label=t("i18n.partial"),
                           color_order=charts.series_order(frame, category="value", value="orders",
                                                           other_label=t("i18n.other"))))
        st.caption(t("kp.orders.cancelled_note"))

    st.subheader(t("kp.orders.breakdown"))
    for tab, dimension in zip(st.tabs([t(f"kp.dimension.{d}") for d in DIMENSIONS]), DIMENSIONS):
        with tab:
            frame = cache.orders_by(ctx, filters, dimension)
            if frame.empty:
                draw.empty()
                continue
            frame = frame.assign(value=[value_label(dimension, row) for _, row in frame.iterrows()])
            recipe = partial(charts.bars, frame, category="value", value="orders",
                             category_title=t(f"kp.dimension.{dimension}"), value_title=t("kp.orders"))
            if dimension in ORDER_DIMENSIONS:
                drill_chart(recipe, key=f"orders.by.{dimension}.pick", field="key",
                            target=orders_of(filters, dimension))
            else:
                draw.chart(recipe)
            draw.table(frame, labels={"value": t(f"kp.dimension.{dimension}"),
                                      "orders": t("kp.orders"), "cancelled": t("kp.cancelled")},
                       file_name=f"orders-by-{dimension}.csv", key=f"orders.by.{dimension}")
    response_times_section(ctx, filters)
