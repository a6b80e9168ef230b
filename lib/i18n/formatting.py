"""Numbers, money, dates and percentages per language, with Babel."""
from __future__ import annotations

from datetime import date, datetime

import functools

from babel import Locale, dates, numbers

_LOCALES = {"zh_CN": "zh_Hans_CN", "en": "en_US"}


@functools.cache
def _locale(language: str) -> Locale:
    # A parsed Locale, not its name: Babel parses a name again on every call, which
    # was a tenth of a warm KPI render's CPU (issue #19 profile, docs/benchmarks.md).
    return Locale.parse(_LOCALES.get(language, "zh_Hans_CN"))


def number(value: float | int | None, language: str) -> str:
    return "–" if value is None else numbers.format_decimal(value, locale=_locale(language))


def money(fen: int | None, language: str) -> str:
    """Fen (the database's unit) shown as yuan: ¥1,234.50."""
    if fen is None:
        return "–"
    return numbers.format_currency(fen / 100, "CNY", locale=_locale(language))


def money_fen(fen: float | None, language: str) -> str:
    """An amount in fen that may be fractional or missing (an average; None or NaN: "–"),
    rounded to whole fen and shown as yuan."""
    return "–" if fen is None or fen != fen else money(int(round(fen)), language)


def yuan(fen: float | None) -> float | None:
    """Fen as a yuan number for exports (None or NaN stays None)."""
    return None if fen is None or fen != fen else round(fen / 100, 2)


def export_units(language: str) -> dict[str, str]:
    """The units a CSV header ends in (lib.export.for_readers): 达成率（%）, Payouts (yuan)."""
    if language == "en":
        return {"percent_unit": " (%)", "yuan_unit": " (yuan)"}
    return {"percent_unit": "（%）", "yuan_unit": "（元）"}


def percent(fraction: float | None, language: str, digits: int = 1) -> str:
    if fraction is None:
        return "–"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return numbers.format_percent(fraction, format=pattern, locale=_locale(language))


def day(value: date | None, language: str) -> str:
    return "–" if value is None else dates.format_date(value, format="medium", locale=_locale(language))


def moment(value: datetime | None, language: str) -> str:
    if value is None:
        return "–"
    return dates.format_datetime(value, format="medium", locale=_locale(language))
