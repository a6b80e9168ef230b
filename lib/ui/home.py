"""The home page: the figures of the day for the signed-in role, then the briefing
(what needs doing, each item with the link where it is done)."""
from __future__ import annotations

import streamlit as st

from lib.briefing import briefing_section, sections_for
from lib.briefing.items import say
from lib.briefing.settings import load_settings as briefing_settings
from lib.i18n import formatting as fmt
from lib.kpi.overview import home_overview
from lib.kpi.settings import load_settings
from lib.timeutil import now_local
from lib.ui import cache
from lib.ui.filters import as_of_moment
from lib.ui.text import greeting, plain, t

CARDS_PER_ROW = 3  # wider cards keep the longer Chinese labels whole
TONE_ICONS = {"ok": "✅", "warn": "⚠️", "bad": "🔴"}


def overview(ctx) -> None:
    actor, lang = ctx.user.actor, ctx.language
    st.subheader(greeting(ctx.user))
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
    show_briefing(ctx)


@st.cache_data(ttl=cache.TTL, show_spinner=False, max_entries=50)
def _section(url: str, actor, section: str, as_of, settings, bsettings):
    from lib.db import get_engine
    return briefing_section(get_engine(url), actor=actor, section=section, as_of=as_of,
                            settings=settings, briefing_settings=bsettings)


def _seed_and_go(seed: tuple) -> None:
    for key, value in seed:
        st.session_state[key] = value


def _link(link, label: str, key: str) -> None:
    if link is None:
        st.markdown(label)
    elif link.seed:
        # the target page's widgets are set for the reader, then the page opens
        if st.button(label, key=key, type="tertiary", on_click=_seed_and_go, args=(link.seed,)):
            st.switch_page(link.page)
    else:
        st.page_link(link.page, label=label, query_params=link.query or None)


def show_briefing(ctx) -> None:
    lang = ctx.language
    as_of = as_of_moment(now_local(), None)
    st.subheader(t("brief.heading"))
    for section in sections_for(ctx.user.actor):
        items = _section(cache.db_url(), ctx.user.actor, section, as_of, load_settings(),
                         briefing_settings())
        st.markdown(f"##### {t(f'brief.section.{section}')}")
        columns = st.columns(2)
        for index, item in enumerate(items):
            with columns[index % 2].container(border=True, key=f"brief-{item.key.replace('.', '-')}"):
                st.markdown(f"**{TONE_ICONS[item.tone]} {t(f'brief.{item.key}.title')}**")
                st.markdown(say(f"{item.key}.line", item.params, lang, escape=plain))
                for number, row in enumerate(item.rows):
                    _link(row.link, say(f"{item.key}.{item.row_key}", row.params, lang, escape=plain),
                          key=f"brief.{item.key}.{number}")
                _link(item.link, f"➡️ {t('brief.open')}", key=f"brief.{item.key}.open")
