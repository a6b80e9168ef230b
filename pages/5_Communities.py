"""Community heat: a map of China's cities and, for a chosen city, its communities,
weighted by a chosen measure; and the ranking of communities for free-repair days."""
import streamlit as st

from lib.navigation import page_for
from lib.ui import cache, community_map, draw
from lib.ui.drill import community_order_links
from lib.ui.filters import compare_metric, compared, kpi_filters
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import t

ctx = page_frame(page_for("pages/5_Communities.py"))
filters = kpi_filters(ctx)
MEASURES = ("orders", "members", "maintenance_due")
RANKING_LIMIT = 30

with shown_errors():
    st.caption(t("kp.com.scope"))
    heat = cache.community_heat(ctx, filters)
    cards = st.columns(3)
    compare_metric(cards[0], t("kp.com.orders"), int(heat["orders"].sum()) if len(heat) else 0,
                   cache.community_order_total(ctx, compared(filters)), ctx.language)
    measure = st.segmented_control(t("kp.com.measure"), MEASURES, key="communities.measure",
                                   default="orders", required=True,
                                   format_func=lambda m: t(f"kp.com.measure.{m}")) or "orders"
    st.subheader(t("kp.com.map"))
    community_map.show(ctx, filters, measure, heat)

    st.subheader(t("kp.com.ranking"))
    ranking = cache.maintenance_ranking(ctx, filters, RANKING_LIMIT)
    if ranking.empty:
        st.info(t("kp.com.no_ranking"), icon="🔍")
    else:
        city_names = dict(zip(cache.cities()["id"], cache.cities()["name"]))
        ranking = ranking.assign(rank=range(1, len(ranking) + 1),
                                 city=ranking["city_id"].map(lambda i: city_names.get(i, t("kp.unknown"))))
        labels = {"rank": t("kp.com.rank"), "name": t("kp.com.community"), "city": t("kp.city"),
                  "maintenance_due": t("kp.com.maintenance_due"), "members": t("kp.com.members"),
                  "households": t("kp.com.households"), "orders": t("kp.com.orders"),
                  "avg_stars": t("kp.com.avg_stars")}
        draw.table(ranking, labels=labels, file_name="free-repair-day-ranking.csv",
                   key="communities.ranking",
                   column_config={"avg_stars": st.column_config.NumberColumn(format="%.2f"),
                                  "maintenance_due": st.column_config.ProgressColumn(
                                      format="%d", min_value=0,
                                      max_value=int(ranking["maintenance_due"].max()))})
        community_order_links(ranking, filters)
