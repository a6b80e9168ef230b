"""What a briefing is made of: items (a headline with its figures, a few rows),
each with the link where the reader acts. Plain data: the home page draws it,
the digest turns it into a chat message.

Text: `brief.<item>.title` / `.line` / `.row` keys of lib/i18n/catalog/briefing.py,
filled by `say()` (numbers, percentages, moments in the reader's language).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from lib.briefing.links import Link
from lib.i18n.places import city_name
from lib.i18n import formatting as fmt
from lib.i18n import translate

TONES = ("ok", "warn", "bad")
PERCENT_SUFFIXES = ("rate", "compliance", "target", "previous")


@dataclass(frozen=True)
class Row:
    params: dict
    link: Link | None = None


@dataclass(frozen=True)
class Item:
    key: str                       # e.g. "mgr.breaches": texts brief.mgr.breaches.*
    params: dict                   # the headline's figures
    tone: str = "ok"               # ok: nothing to do; warn: look; bad: act now
    rows: tuple[Row, ...] = ()
    link: Link | None = None
    row_key: str = "row"           # brief.<key>.<row_key> formats each row

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(self.tone)


@dataclass(frozen=True)
class Briefing:
    role: str
    as_of: datetime
    items: tuple[Item, ...] = field(default_factory=tuple)


def shown(name: str, value, lang: str, escape=lambda text: text):
    """A parameter as a reader wants it; `escape` applies to database text only."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return value
    if name.endswith("_fen") and isinstance(value, int):
        return fmt.money(value, lang)
    if isinstance(value, float) and name.endswith(PERCENT_SUFFIXES):
        return fmt.percent(value, lang)
    if isinstance(value, float):
        return fmt.number(round(value, 2), lang)
    if isinstance(value, int):
        return str(value) if name.endswith("_id") else fmt.number(value, lang)
    if isinstance(value, datetime):
        return fmt.moment(value, lang)
    if isinstance(value, date):
        return fmt.day(value, lang)
    if name.startswith("kind_"):
        return translate(f"brief.word.{value}", lang)
    if isinstance(value, (tuple, list)):   # names listed as the language lists them
        return ("、" if lang == "zh_CN" else ", ").join(escape(str(item)) for item in value) or "–"
    if name == "city":
        return escape(city_name(value, lang))
    return escape(str(value))


def say(key: str, params: dict, lang: str, escape=lambda text: text) -> str:
    return translate(f"brief.{key}", lang,
                     **{name: shown(name, value, lang, escape) for name, value in params.items()})
