"""Why customers complain: negative e-commerce reviews tagged by cause; shares, crossed with
brand, product type, price band and platform; the trend by month; example reviews."""
from functools import partial

import streamlit as st

from lib import charts
from lib.business import charts as biz_charts
from lib.business.review_causes import CAUSES
from lib.business.reviews import DIMENSIONS, LOW_STARS, OTHER, cause_examples, cause_shares, cause_trend
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.ui import business_cache as cache
from lib.ui import draw
from lib.ui import review_corrections as fixes
from lib.ui.filters import kpi_filters, partial_view
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import t

ctx = page_frame(page_for("pages/11_Complaints.py"))
filters = kpi_filters(ctx)
lang = ctx.language
ORDER = [t(f"biz.cause.{c}") for c in (*CAUSES, OTHER)]


def cause_name(cause: str) -> str:
    return t(f"biz.cause.{cause}")


def value_name(dimension: str, value) -> str:
    return t(f"biz.category.{value}") if dimension == "product_type" else str(value)


st.caption(t("biz.reviews_filters_note"))
max_stars = st.segmented_control(t("biz.max_stars"), (1, 2, 3), default=LOW_STARS, key="complaints.max_stars",
                                 required=True) or LOW_STARS
with shown_errors():
    tagged = cache.low_star_reviews(ctx, filters, max_stars)
    if tagged.empty:
        draw.empty("biz.no_reviews")
        st.stop()
    shares = cause_shares(tagged)
    named = shares[shares["cause"] != OTHER]
    cards = st.columns(3)
    cards[0].metric(t("biz.low_reviews"), fmt.number(len(tagged), lang), border=True)
    cards[1].metric(t("biz.tagged_share"), fmt.percent(float((tagged["causes"].map(len) > 0).mean()), lang),
                    border=True)
    top = named.sort_values("reviews", ascending=False).head(1)
    cards[2].metric(t("biz.top_cause"), cause_name(top["cause"].iloc[0]) if len(top) else "–", border=True)
    st.caption(t("tagger.model_note", version=cache.tagger_version(), f1=cache.tagger_frozen_f1()))
    fixes.definitions()

    st.subheader(t("biz.shares_title"))
    shares = shares.assign(name=shares["cause"].map(cause_name)).sort_values(
        "share", ascending=False, kind="stable")   # the table in its chart's order
    draw.chart(partial(biz_charts.bars, shares, category="name", value="share",
                       category_title=t("biz.cause"), value_title=t("biz.share"), percent=True))
    st.caption(t("biz.shares_note"))
    draw.table(shares.assign(share_text=shares["share"].map(lambda v: fmt.percent(v, lang))),
               labels={"name": t("biz.cause"), "reviews": t("biz.reviews"), "share_text": t("biz.share")},
               export=shares.assign(share_text=shares["share"]), percent=("share_text",),
               file_name="complaint-causes.csv",
               key="complaints.shares")

    st.subheader(t("biz.cross_title"))
    dimension = st.selectbox(t("biz.cross_by"), DIMENSIONS, key="complaints.cross",
                             format_func=lambda d: t(f"biz.dimension.{d}"))
    cross = cause_shares(tagged, dimension)
    cross = cross.assign(name=cross["cause"].map(cause_name),
                         value=[value_name(dimension, v) for v in cross["key"]])
    draw.chart(partial(biz_charts.share_heatmap, cross, row="name", column="value", value="share",
                       row_title=t("biz.cause"), column_title=t(f"biz.dimension.{dimension}"),
                       value_title=t("biz.share"), row_order=ORDER))
    wide = cross.pivot_table(index="name", columns="value", values="share", aggfunc="first").fillna(0.0)
    wide = wide.reindex([n for n in ORDER if n in wide.index]).reset_index()
    values = [c for c in wide.columns if c != "name"]
    raw = wide.rename(columns={c: str(c) for c in values})
    wide = wide.assign(**{str(c): wide[c].map(lambda v: fmt.percent(float(v), lang)) for c in values})
    draw.table(wide, labels={"name": t("biz.cause"), **{str(c): str(c) for c in values}},
               export=raw, percent=tuple(str(c) for c in values),
               file_name=f"complaint-causes-by-{dimension}.csv", key="complaints.cross")

    st.subheader(t("biz.trend_title"))
    trend = cause_trend(tagged)
    trend = trend[trend["cause"] != OTHER]
    if trend.empty:
        draw.empty("biz.no_reviews")
    else:
        trend = trend.assign(name=trend["cause"].map(cause_name))
        trend, unfinished = partial_view(trend, "month", "month", filters)
        draw.chart(partial(charts.over_time, trend, x="month", y="share", color="name", grain="month",
                           percent=True, partial=unfinished, partial_label=t("i18n.partial"),
                           x_title=t("biz.month"), y_title=t("biz.share"),
                           color_title=t("biz.cause")))

    st.subheader(t("biz.examples_title"))
    present = [c for c in (*CAUSES, OTHER) if c in set(shares["cause"])]
    chosen = st.selectbox(t("biz.examples_for"), present, key="complaints.examples", format_func=cause_name)
    examples = cause_examples(tagged, chosen)
    examples = examples.assign(created_at=examples["created_at"].astype(str).str[:19],
                               product_type=examples["product_type"].map(lambda v: t(f"biz.category.{v}")),
                               causes_text=examples["causes"].map(fixes.causes_text),
                               corrected_mark=examples["corrected"].map(lambda v: "✓" if v else ""))
    # Review text is shown as plain text in a table cell (never as Markdown or HTML).
    draw.table(examples, labels={"created_at": t("biz.created_at"), "platform": t("biz.platform"),
                                 "brand": t("biz.brand"), "product_type": t("biz.product_type"),
                                 "stars": t("biz.stars"), "content": t("biz.content"),
                                 "causes_text": t("tagger.causes"), "corrected_mark": t("tagger.corrected")},
               column_config={"content": st.column_config.TextColumn(width="large")},
               file_name=f"complaint-examples-{chosen}.csv", key="complaints.examples")
    fixes.correction_form(ctx, examples, tagged)
