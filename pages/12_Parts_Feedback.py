"""Parts feedback to brands: per brand and quarter, the parts consumed most (quantity, cost,
per 100 orders), quarter on quarter; one CSV per brand to send, or all of them in a zip."""
from functools import partial

import streamlit as st

from lib.business import charts as biz_charts
from lib.business.parts import top_parts
from lib.export import csv_bytes, file_name_part, for_readers, ranged_name, zip_bytes
from lib.i18n import formatting as fmt
from lib.navigation import page_for
from lib.ui import business_cache as cache
from lib.ui import draw
from lib.ui.filters import kpi_filters
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import plain, t

ctx = page_frame(page_for("pages/12_Parts_Feedback.py"))
filters = kpi_filters(ctx)
lang = ctx.language
COLUMNS = ("quarter", "rank", "part_name", "qty", "cost", "brand_orders", "per_100_orders", "previous_qty",
           "qty_change", "qty_change_ratio")


UNITS = fmt.export_units(lang)


def missing(value) -> bool:
    return value is None or value != value


def labels() -> dict[str, str]:
    keys = ("biz.quarter", "biz.rank", "biz.part", "biz.qty", "biz.cost", "biz.brand_orders", "biz.per_100",
            "biz.previous_qty", "biz.qty_change", "biz.qty_change_ratio")
    return {column: t(key) for column, key in zip(COLUMNS, keys)}


def brand_file(frame) -> bytes:
    """The file a brand receives: numbers (cost in yuan, change in percent, the units in the
    headers), UTF-8 with BOM via lib.export."""
    out = frame.assign(cost=frame["cost_fen"], per_100_orders=frame["per_100_orders"].round(2))
    return csv_bytes(for_readers(out, labels(), fen=("cost",), percent=("qty_change_ratio",), **UNITS))


def file_name(brand: str) -> str:
    return ranged_name(f"parts-{file_name_part(brand)}", filters.start, filters.end)


st.caption(t("biz.parts_note"))
with shown_errors():
    frame = cache.parts_by_brand_quarter(ctx, filters)
    if frame.empty:
        draw.empty()
        st.stop()
    cards = st.columns(3)
    cards[0].metric(t("biz.parts_total_qty"), fmt.number(int(frame["qty"].sum()), lang), border=True)
    cards[1].metric(t("biz.parts_total_cost"), fmt.money(int(frame["cost_fen"].sum()), lang), border=True)
    cards[2].metric(t("biz.parts_brands"), fmt.number(frame["brand"].nunique(), lang), border=True)

    st.subheader(t("biz.parts_top"))
    left, right = st.columns(2)
    brands = sorted(frame["brand"].unique())
    brand = left.selectbox(t("biz.parts_brand"), brands, key="parts.brand")
    mine = frame[frame["brand"] == brand]
    quarters = sorted(mine["quarter"].unique(), reverse=True)
    quarter = right.selectbox(t("biz.parts_quarter"), quarters, key="parts.quarter")
    shown = top_parts(mine[mine["quarter"] == quarter], 15)
    draw.chart(partial(biz_charts.bars, shown, category="part_name", value="qty",
                       category_title=t("biz.part"), value_title=t("biz.qty")))
    display = shown.assign(
        cost=shown["cost_fen"].map(lambda v: fmt.money(int(v), lang)),
        per_100_orders=shown["per_100_orders"].map(lambda v: "–" if missing(v) else f"{v:.1f}"),
        qty_change_ratio=shown["qty_change_ratio"].map(lambda v: "–" if missing(v) else fmt.percent(v, lang)))
    draw.table(display, labels=labels(), export=shown.assign(cost=shown["cost_fen"]), fen=("cost",),
               percent=("qty_change_ratio",),
               file_name=f"parts-{file_name_part(brand)}-{file_name_part(quarter)}.csv", key="parts.top")

    st.subheader(t("biz.parts_files"))
    st.caption(t("biz.parts_files_note"))
    archive = zip_bytes((file_name(name), brand_file(frame[frame["brand"] == name])) for name in brands)
    st.download_button(t("biz.parts_zip"), archive, file_name=ranged_name("parts-feedback", filters.start, filters.end, "zip"),
                       mime="application/zip", key="download.parts.zip", icon="🗜️", on_click="ignore")
    columns = st.columns(4)
    for i, name in enumerate(brands):
        columns[i % 4].download_button(t("biz.parts_brand_csv", brand=plain(name)),
                                       brand_file(frame[frame["brand"] == name]), file_name=file_name(name),
                                       mime="text/csv", key=f"download.parts.brand.{i}", icon="⬇️",
                                       on_click="ignore")
