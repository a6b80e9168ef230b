"""An alert or recovery as a chat message (markdown card, plain text and HTML for
e-mail), in the reader's language, with a link to the KPI's page filtered to the rule's
city and brand. Database text (rule, city and brand names) is escaped for markdown."""
from __future__ import annotations

from datetime import datetime
from html import escape

from lib.alerts.kpis import PAGES, RATE, UNITS, Figure
from lib.alerts.rules import AlertRule
from lib.briefing.links import link
from lib.digest.message import Message, md_escape
from lib.i18n import formatting as fmt
from lib.i18n import translate
from lib.i18n.places import city_name

PRESETS = ((7 * 24, "last_7_days"), (30 * 24, "last_30_days"))


def shown_value(kpi: str, value: float | None, language: str) -> str:
    if value is None:
        return "–"
    return fmt.percent(value, language) if UNITS[kpi] == RATE else fmt.number(round(value, 2), language)


def scope(rule: AlertRule, language: str, escape_text=lambda text: text) -> str:
    city = escape_text(city_name(rule.city, language)) if rule.city_id is not None else \
        translate("alert.scope.all_cities", language)
    if rule.brand_id is None:
        return city
    return translate("alert.scope.brand", language, city=city, brand=escape_text(rule.brand or f"#{rule.brand_id}"))


def console_link(rule: AlertRule, console_url: str) -> str:
    preset = next((name for hours, name in PRESETS if rule.window_hours <= hours), "last_90_days")
    return link(PAGES[rule.kpi], preset=preset, city=rule.city_id, brand=rule.brand_id).url(console_url)


def build(rule: AlertRule, kind: str, figure: Figure, *, as_of: datetime, since: datetime | None,
          language: str, console_url: str) -> Message:
    """`kind`: "alert" or "recovery"."""
    def line(escape_text) -> str:
        return translate(f"alert.line.{kind}", language, scope=scope(rule, language, escape_text),
                         kpi=translate(f"alert.kpi.{rule.kpi}", language),
                         value=shown_value(rule.kpi, figure.value, language),
                         comparison=translate(f"alert.comparison.{rule.comparison}", language),
                         threshold=shown_value(rule.kpi, rule.threshold, language),
                         hours=rule.window_hours, basis=fmt.number(figure.basis, language),
                         since=fmt.moment(since or as_of, language))
    title = translate(f"alert.title.{kind}", language, rule=rule.name)
    url = console_link(rule, console_url)
    opened = translate("alert.open", language)
    moment = translate("alert.as_of", language, moment=fmt.moment(as_of, language))
    markdown = f"{line(md_escape)}  \n{moment} [{opened}]({url})"   # the channel adds the title
    text = f"{title}\n{line(str)}\n{moment}\n{url}"
    html = (f"<p>{escape(line(str))}</p><p>{escape(moment)} "
            f"<a href=\"{escape(url)}\">{escape(opened)}</a></p>")
    return Message(title, markdown, text, html)
