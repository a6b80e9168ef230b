"""Cached calls of the business analyses (lib/business) for their pages.

Same contract as lib.ui.cache: each public function checks the role for its
analysis, then calls a function cached on the database URL and hashable
arguments, within the same query slots and statement timeout.
"""
from __future__ import annotations

import pandas as pd

from lib.business import brand_mix, engineer_pay, parts, reviews, warranties
from lib.db import get_engine
from lib.i18n import formatting as fmt
from lib.kpi.filters import KpiFilters
from lib.ui.cache import _allowed, _cached


@_cached
def _reviews(url: str, f: KpiFilters, max_stars: int) -> pd.DataFrame:
    return reviews.low_star_reviews(get_engine(url), f, max_stars=max_stars)


def low_star_reviews(ctx, f: KpiFilters, max_stars: int = reviews.LOW_STARS) -> pd.DataFrame:
    """The tagged low-star reviews of the view (tagging is cached with the fetch)."""
    return _reviews(_allowed(ctx, "kpi.reviews"), f, int(max_stars))


@_cached
def _parts(url: str, f: KpiFilters) -> pd.DataFrame:
    return parts.parts_by_brand_quarter(get_engine(url), f)


def parts_by_brand_quarter(ctx, f: KpiFilters) -> pd.DataFrame:
    return _parts(_allowed(ctx, "kpi.parts"), f)


@_cached
def _mix(url: str, f: KpiFilters, name: str) -> pd.DataFrame:
    function = {"month": brand_mix.mix_by_month, "city": brand_mix.mix_by_city,
                "city_month": brand_mix.mix_by_city_month}[name]
    return function(get_engine(url), f)


def brand_mix_by(ctx, f: KpiFilters, name: str) -> pd.DataFrame:
    """name: month, city, city_month."""
    return _mix(_allowed(ctx, "kpi.brand_mix"), f, name)


@_cached
def _pay(url: str, f: KpiFilters, name: str) -> pd.DataFrame:
    if name == "engineer":  # the totals of the cached per-month rows: one query, not two
        return engineer_pay.totals_by_engineer(_pay(url, f, "engineer_month"))
    function = {"engineer_month": engineer_pay.pay_by_engineer_month,
                "month": engineer_pay.pay_by_month}[name]
    return function(get_engine(url), f)


def engineer_pay_by(ctx, f: KpiFilters, name: str) -> pd.DataFrame:
    """name: engineer_month, month, engineer."""
    return _pay(_allowed(ctx, "kpi.engineer_pay"), f, name)


@_cached
def _pay_table(url: str, f: KpiFilters, name: str, language: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Babel formats about 80,000 amounts a second: the whole history's per-engineer
    # months (about 40,000 rows at 1,000,000 orders) took a second on every rerun.
    frame = _pay(url, f, name)
    shown = frame.assign(paid=frame["payout_fen"].map(lambda fen: fmt.money_fen(fen, language)),
                         avg=frame["avg_payout_fen"].map(lambda fen: fmt.money_fen(fen, language)))
    export = frame.assign(paid=frame["payout_fen"], avg=frame["avg_payout_fen"])  # fen: yuan in the CSV
    return shown, export


def engineer_pay_table(ctx, f: KpiFilters, name: str, language: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`engineer_pay_by`'s rows with `paid` and `avg` added twice: as money text in
    `language` (to show) and as fen (to export: yuan numbers in the CSV, lib.export.for_readers)."""
    return _pay_table(_allowed(ctx, "kpi.engineer_pay"), f, name, language)


@_cached
def _warranty(url: str, f: KpiFilters, name: str) -> pd.DataFrame:
    function = {"types": warranties.appliances_by_warranty, "expiring": warranties.expiring_by_community,
                "repairs_month": warranties.repairs_by_month,
                "repairs_type": warranties.repairs_by_warranty}[name]
    return function(get_engine(url), f)


def warranty_figure(ctx, f: KpiFilters, name: str) -> pd.DataFrame:
    """name: types, expiring, repairs_month, repairs_type."""
    return _warranty(_allowed(ctx, "kpi.warranties"), f, name)


def forget_reviews() -> None:
    """Drop the cached tagged reviews (after a correction, so every figure shows it)."""
    _reviews.clear()


def tagger_version() -> str:
    from lib.tagger.model import shipped
    return shipped().version


def tagger_frozen_f1() -> str:
    """The shipped model's micro-F1 on the frozen test split (docs/review-causes.md)."""
    from lib.tagger.model import FROZEN_MICRO_F1
    return f"{FROZEN_MICRO_F1:.3f}"
