"""Engineer star levels: the distribution, a sortable table, and one engineer's
detail (ratings over time, completed orders, 24-hour compliance, payouts,
first-time fix with its definition)."""
from functools import partial

import pandas as pd
import streamlit as st

from lib import charts
from lib.i18n import formatting as fmt
from lib.kpi.engineers import FIRST_TIME_FIX_DAYS
from lib.navigation import page_for
from lib.ui import cache, draw
from lib.ui.drill import engineer_link
from lib.ui.filters import compare_metric, compared, kpi_filters, partial_view
from lib.ui.frame import page_frame, shown_errors
from lib.ui.text import plain, t

ctx = page_frame(page_for("pages/3_Engineers.py"))
filters = kpi_filters(ctx)
lang = ctx.language


def level_label(level) -> str:
    if level is None or pd.isna(level) or level == "unrated":
        return t("kp.eng.unrated")
    return t("i18n.star_one") if int(level) == 1 else t("kp.eng.level_n", n=int(level))


def level_labels(levels: pd.Series) -> pd.Series:
    """level_label of each engineer's level, translated once per distinct level, not per
    engineer (thousands of them, on every render)."""
    names = {level: level_label(level) for level in levels.dropna().unique()}
    # as objects first: with no rated engineer a nullable integer column stays one, and
    # would refuse the "unrated" text
    return levels.astype(object).map(names).fillna(level_label(None))


with shown_errors():
    settings = cache.settings()
    st.caption(t("kp.eng.scope", window=settings.star_window_days, minimum=settings.star_min_ratings))
    table = cache.star_levels(ctx, filters)
    if table.empty:
        draw.empty()
        st.stop()
    cities = dict(zip(cache.cities()["id"], cache.cities()["name"]))
    table = table.assign(city=table["city_id"].map(cities).fillna(t("kp.unknown")),
                         level=level_labels(table["star_level"]))

    st.subheader(t("kp.eng.distribution"))
    levels = ["5", "4", "3", "2", "1", "unrated"]
    counts = {"unrated" if pd.isna(level) else str(int(level)): int(n)
              for level, n in table["star_level"].value_counts(dropna=False).items()}
    distribution = pd.DataFrame({"level": [level_label(v) for v in levels],
                                 "engineers": [counts.get(v, 0) for v in levels]})
    left, right = st.columns([3, 2])
    with left:
        draw.chart(partial(charts.bars, distribution, category="level", value="engineers",
                           category_title=t("kp.eng.level"), value_title=t("kp.eng.engineers"),
                           order=list(distribution["level"])))
    fix = cache.first_time_fix(ctx, filters)
    repairs, fixed = int(fix["repairs"].sum()), int(fix["fixed"].sum())
    with right:
        before = cache.first_time_fix(ctx, compared(filters))
        repairs_then, fixed_then = int(before["repairs"].sum()), int(before["fixed"].sum())
        compare_metric(right, t("kp.eng.ftf_all"), fixed / repairs if repairs else None,
                       fixed_then / repairs_then if repairs_then else None, lang, rate=True,
                       help_text=t("kp.eng.ftf_definition", days=FIRST_TIME_FIX_DAYS))
        right.caption(t("kp.eng.ftf_detail", fixed=fmt.number(fixed, lang), repairs=fmt.number(repairs, lang)))
        right.caption(t("kp.eng.ftf_definition", days=FIRST_TIME_FIX_DAYS))

    st.subheader(t("kp.eng.table"))
    sortable = table.assign(level_sort=table["star_level"].fillna(0).astype(int))
    draw.table(sortable, labels={"engineer_id": "ID", "name": t("kp.eng.name"), "city": t("kp.city"),
                                 "ratings": t("kp.eng.ratings"), "avg_stars": t("kp.eng.avg_stars"),
                                 "level": t("kp.eng.level")},
               column_config={"avg_stars": st.column_config.NumberColumn(format="%.2f"),
                              "engineer_id": st.column_config.NumberColumn(format="%d")},
               file_name="engineer-star-levels.csv", key="eng.table", height=360,
               missing_note=t("kp.eng.no_ratings_note", window=settings.star_window_days))

    st.subheader(t("kp.eng.pick"))
    names = dict(zip(table["engineer_id"], table["name"] + " · " + table["city"]))
    engineer_id = st.selectbox(t("kp.eng.pick"), list(names), key="eng.pick",
                               format_func=lambda i: f"{names[i]} (#{i})", label_visibility="collapsed")
    detail = cache.engineer_detail(ctx, filters, engineer_id) if engineer_id is not None else None
    if detail is None:
        draw.empty()
        st.stop()
    st.markdown(f"#### {t('kp.eng.detail', name=plain(detail.name))}")
    engineer_link(detail.engineer_id)
    shows_pay = detail.payout_fen is not None  # withheld where the viewer may not see pay
    cards = iter(st.columns(6 if shows_pay else 5))
    next(cards).metric(t("kp.eng.level"), level_label(detail.star_level), border=True)
    next(cards).metric(t("kp.eng.window_ratings", window=settings.star_window_days),
                       fmt.number(detail.ratings, lang), border=True,
                       help=f"{t('kp.eng.avg_stars')}: {fmt.number(round(detail.avg_stars, 2), lang) if detail.avg_stars is not None else '–'}")
    next(cards).metric(t("kp.eng.completed"), fmt.number(detail.completed, lang), border=True)
    if shows_pay:
        next(cards).metric(t("kp.eng.payout"), fmt.money(detail.payout_fen, lang), border=True)
    next(cards).metric(t("kp.eng.sla"), fmt.percent(detail.sla.compliance, lang), border=True,
                       help=f"{t('kp.sla.met')} {detail.sla.met} / {t('kp.sla.breached')} {detail.sla.breached}")
    ftf = detail.first_time_fix
    next(cards).metric(t("kp.eng.ftf"), fmt.percent(ftf.rate, lang), border=True,
                    help=t("kp.eng.ftf_definition", days=FIRST_TIME_FIX_DAYS))
    st.caption(t("kp.eng.ftf_detail", fixed=fmt.number(ftf.fixed, lang), repairs=fmt.number(ftf.repairs, lang))
               + " · " + t("kp.eng.ftf_definition", days=FIRST_TIME_FIX_DAYS))

    st.markdown(f"##### {t('kp.eng.monthly' if shows_pay else 'sec.eng.monthly_no_pay')}")
    monthly = detail.monthly
    if monthly.empty:
        draw.empty("kp.eng.no_monthly")
    else:
        left, right = st.columns(2)
        drawn, unfinished = partial_view(monthly, "month", "month", filters)
        marked = dict(partial=unfinished, partial_label=t("i18n.partial"))
        with left:
            rated = drawn.dropna(subset=["avg_stars"])
            if not rated.empty:
                draw.chart(partial(charts.over_time, rated, x="month", y="avg_stars", grain="month",
                                   scale_to_data=True, x_title=t("kp.month"),
                                   y_title=t("kp.eng.avg_stars"), **marked))
        with right:
            draw.chart(partial(charts.over_time, drawn, x="month", y="completed", grain="month",
                               mark="bar", x_title=t("kp.month"), y_title=t("kp.eng.completed"), **marked))
        shown = monthly.assign(stars=monthly["avg_stars"].map(
            lambda v: "–" if pd.isna(v) else fmt.number(round(v, 2), lang)))
        export = monthly.assign(stars=monthly["avg_stars"])
        labels = {"month": t("kp.month"), "completed": t("kp.eng.completed"),
                  "ratings": t("kp.eng.ratings"), "stars": t("kp.eng.avg_stars")}
        if shows_pay:
            shown = shown.assign(payout=monthly["payout_fen"].map(lambda f: fmt.money(int(f), lang)))
            export = export.assign(payout=monthly["payout_fen"])
            labels = {**labels, "payout": t("kp.eng.payout")}
        draw.table(shown, labels=labels, export=export, fen=("payout",),
                   file_name=f"engineer-{detail.engineer_id}-monthly.csv", key="eng.monthly")
