"""The 24-hour install promise: compliance over time, by city and brand, before
against after the cut-off hour, open installs at risk now, breached orders."""
from datetime import timedelta
from functools import partial

import streamlit as st

from lib import charts
from lib.i18n import formatting as fmt
from lib.kpi.sla import AT_RISK_BANDS
from lib.navigation import page_for
from lib.ui import cache, draw
from lib.briefing.settings import load_settings as briefing_settings
from lib.ui.drill import drill_chart, orders_link, sla_breaches_in_city
from lib.ui.filters import compare_metric, compared, kpi_filters, partial_view
from lib.ui.frame import page_frame, shown_errors
from lib.ui.kept import kept
from lib.ui.text import city, t

ctx = page_frame(page_for("pages/2_Install_Promise.py"))
filters = kpi_filters(ctx)
lang = ctx.language
AT_RISK_DAYS = 90
BREACH_LIMIT = 200


def due_words(days: int, hour: int) -> str:
    if (days, hour) == (1, 0):
        return t("kp.sla.due_midnight")
    if days == 1:
        return t("kp.sla.due_next_noon", hour=hour)
    return t("kp.sla.due", days=days, hour=hour)


TARGET = briefing_settings().compliance_target
TARGET_WORDS = dict(target=TARGET, target_label=t("i18n.target", target=fmt.percent(TARGET, lang, 0)))


def compliance_bars(frame, category: str, title: str, drill: dict | None = None) -> None:
    rated = frame[frame["met"] + frame["breached"] > 0]
    if rated.empty:
        draw.empty("kp.sla.no_eligible")
        return
    recipe = partial(charts.bars, rated, category=category, value="compliance",
                     category_title=title, value_title=t("kp.sla.compliance"), percent=True,
                     scale_to_data=True,
                     under_label=t("i18n.under_target"), over_label=t("i18n.on_target"), **TARGET_WORDS)
    if drill:
        drill_chart(recipe, svg=True, **drill)
    else:
        draw.chart(recipe)


def counts_table(frame, category: str, title: str, key: str) -> None:
    frame = frame.sort_values("compliance", ascending=False, na_position="last")  # like its chart
    shown = frame.assign(rate=frame["compliance"].map(lambda v: fmt.percent(v, lang)))
    draw.table(shown, labels={category: title, "eligible": t("kp.sla.eligible"),
                              "met": t("kp.sla.met"), "breached": t("kp.sla.breached"),
                              "pending": t("kp.sla.pending"), "rate": t("kp.sla.compliance")},
               export=frame.assign(rate=frame["compliance"]), percent=("rate",), file_name=f"sla-{key}.csv",
               key=key)


def breach_rows(breaches):
    """The breaches with their moments in words (600 Babel calls: kept, not redone per render)."""
    return breaches.assign(
        created=breaches["created_at"].map(lambda v: fmt.moment(v, lang)),
        due=breaches["due_at"].map(lambda v: fmt.moment(v, lang)),
        done=breaches["completed_at"].map(
            lambda v: t("kp.still_open") if v is None or v != v else fmt.moment(v, lang)))


with shown_errors():
    settings = cache.settings()
    cutoff = settings.sla_cutoff_hour
    st.info(t("kp.sla.rule", cutoff=cutoff, before=due_words(*settings.sla_due_before_cutoff),
              after=due_words(*settings.sla_due_after_cutoff)), icon="📏")
    summary = cache.sla_figure(ctx, "summary", filters)
    cards = st.columns(5)
    compare_metric(cards[0], t("kp.sla.compliance"), summary.compliance,
                   cache.sla_figure(ctx, "summary", compared(filters)).compliance, lang, rate=True)
    for column, (key, value) in zip(cards[1:], (("eligible", summary.eligible), ("met", summary.met),
                                                 ("breached", summary.breached),
                                                 ("pending", summary.pending))):
        column.metric(t(f"kp.sla.{key}"), fmt.number(value, lang), border=True)

    if summary.eligible == 0:
        draw.empty("kp.sla.no_eligible")
    else:
        st.subheader(t("kp.sla.over_time"))
        grain = "day" if filters.days <= 45 else "week"
        over_time = cache.sla_figure(ctx, "over_time", filters, grain)
        over_time = over_time[over_time["met"] + over_time["breached"] > 0]
        if over_time.empty:
            draw.empty("kp.sla.no_eligible")
        else:
            over_time, unfinished = partial_view(over_time, "period", grain, filters)
            draw.chart(partial(charts.over_time, over_time, x="period", y="compliance", percent=True,
                               grain=grain, x_title=t("kp.date" if grain == "day" else "kp.week"),
                               y_title=t("kp.sla.compliance"), partial=unfinished,
                               partial_label=t("i18n.partial"), scale_to_data=True, **TARGET_WORDS))

        by_city_tab, by_brand_tab, cutoff_tab = st.tabs(
            [t("kp.sla.by_city"), t("kp.sla.by_brand"), t("kp.sla.cutoff", cutoff=cutoff)])
        with by_city_tab:
            by_city = cache.sla_figure(ctx, "by_city", filters)
            by_city = by_city.assign(city=by_city["city"].map(city))
            compliance_bars(by_city, "city", t("kp.city"), drill=dict(
                key="sla.by_city.pick", field="city_id", target=sla_breaches_in_city(filters)))
            counts_table(by_city, "city", t("kp.city"), "sla.by_city")
        with by_brand_tab:
            names = dict(zip(cache.brands()["id"], cache.brands()["name"]))
            by_brand = cache.sla_figure(ctx, "by_brand", filters)
            by_brand = by_brand.assign(brand=by_brand["brand_id"].map(lambda i: names.get(i, t("kp.unknown"))))
            compliance_bars(by_brand, "brand", t("kp.brand"))
            counts_table(by_brand, "brand", t("kp.brand"), "sla.by_brand")
        with cutoff_tab:
            by_cutoff = cache.sla_figure(ctx, "by_cutoff", filters)
            by_cutoff = by_cutoff.assign(when=by_cutoff["before_cutoff"].map(
                lambda before: t("kp.sla.before" if before else "kp.sla.after", cutoff=cutoff)))
            compliance_bars(by_cutoff, "when", t("kp.period_label"))
            counts_table(by_cutoff, "when", t("kp.period_label"), "sla.by_cutoff")

    st.subheader(t("kp.sla.at_risk"))
    today = filters.as_of.date()
    open_now = filters.replace(start=today - timedelta(days=AT_RISK_DAYS - 1), end=today)
    at_risk = cache.sla_figure(ctx, "at_risk", open_now)
    st.caption(t("kp.sla.at_risk_note", days=AT_RISK_DAYS))
    at_risk = at_risk.assign(label=at_risk["band"].map(lambda b: t(f"kp.band.{b}")))
    cards = st.columns(len(AT_RISK_BANDS))
    for column, row in zip(cards, at_risk.itertuples()):
        column.metric(row.label, fmt.number(row.orders, lang), border=True)
    if at_risk["orders"].sum() > 0:
        draw.chart(partial(charts.bars, at_risk, category="label", value="orders",
                           category_title=t("kp.band"), value_title=t("kp.orders"),
                           order=list(at_risk["label"]),
                           colours=dict(zip(at_risk["label"], charts.BAND_COLOURS.values()))))

    st.subheader(t("kp.sla.breaches", limit=BREACH_LIMIT))
    breaches = cache.sla_figure(ctx, "breaches", filters, BREACH_LIMIT)
    if breaches.empty:
        st.info(t("kp.sla.no_breaches"), icon="✅")
    else:
        breaches = breaches.assign(city=breaches["city"].map(city))
        shown = kept(("sla.breach_rows", breaches, lang), lambda: breach_rows(breaches))
        labels = {"order_id": t("kp.order_id"), "city": t("kp.city"), "created": t("kp.created_at"),
                  "due": t("kp.due_at"), "done": t("kp.completed_at")}
        orders_link(filters, "ol.open_breaches", sla_state="breached", service_types=())
        draw.table(shown, labels=labels, file_name="sla-breaches.csv", key="sla.breaches",
                   export=breaches.assign(created=breaches["created_at"], due=breaches["due_at"],
                                          done=breaches["completed_at"]))
