"""Why customers complain: low-star e-commerce reviews tagged by cause.

Filters: the date range is on `reviews.created_at` (reviews written after
as-of do not exist yet); brands apply (the review's brand). Cities, service
types and sources do not: a review belongs to no order.

Tagging is text work in Python, so the database gives only the low-star
reviews of the filtered range, only the columns needed, at most `LIMIT` of the
newest; the counting by cause is done on those rows. Tags are cached by review
text and model version (lib/tagger/model.py). A manager's correction
(console_review_corrections, joined here) overrides the tagger's causes, so it
counts in every figure built on these rows.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from lib.business.review_causes import CAUSES
from lib.db import schema as s
from lib.errors import ValidationFailed
from lib.kpi.common import Bind, connect
from lib.kpi.filters import KpiFilters
from lib.kpi.sql import moment, month_of

LOW_STARS = 2        # a review with at most this many stars is negative (setting)
LIMIT = 50_000       # bound on the rows fetched for one view
DIMENSIONS = ("brand", "product_type", "price_band", "platform")
OTHER = "other"      # a low-star review naming none of the causes

r = s.reviews
fix = s.console_review_corrections


def low_star_reviews(bind: Bind, f: KpiFilters, *, max_stars: int = LOW_STARS,
                     limit: int = LIMIT) -> pd.DataFrame:
    """One row per review with `stars <= max_stars` written in the range (by as-of):
    id, created_at, month ('YYYY-MM'), platform, brand_id, brand, product_type,
    price_band, stars, content, causes (in CAUSES order; empty when none found; a
    manager's correction where there is one), tagger_causes (the model's), corrected,
    corrected_by.
    Newest first, at most `limit` rows."""
    if not 1 <= int(max_stars) <= 5:
        raise ValidationFailed("kpi.bad_setting", name="max_stars", value=max_stars)
    upper = min(f.range_end, f.as_of_next)
    query = (select(r.c.id, r.c.created_at, month_of(r.c.created_at).label("month"), r.c.platform,
                    r.c.brand_id, s.brands.c.name.label("brand"), r.c.product_type,
                    r.c.price_band, r.c.stars, r.c.content, fix.c.causes.label("corrected_causes"),
                    fix.c.corrected_by)
             .select_from(r.join(s.brands, s.brands.c.id == r.c.brand_id)
                          .outerjoin(fix, fix.c.review_id == r.c.id))
             .where(r.c.created_at >= moment(f.range_start), r.c.created_at < moment(upper),
                    r.c.stars <= int(max_stars))
             .order_by(r.c.created_at.desc(), r.c.id.desc()).limit(int(limit)))
    if f.brand_ids:
        query = query.where(r.c.brand_id.in_(f.brand_ids))
    with connect(bind) as connection:
        rows = connection.execute(query).all()
    columns = ["id", "created_at", "month", "platform", "brand_id", "brand", "product_type",
               "price_band", "stars", "content", "corrected_causes", "corrected_by"]
    frame = pd.DataFrame([tuple(row) for row in rows], columns=columns)
    from lib.commands.review_corrections import decode
    from lib.tagger.model import tag_reviews
    frame["tagger_causes"] = tag_reviews(frame["content"])
    frame["corrected"] = frame["corrected_causes"].notna()
    frame["causes"] = [decode(fixed) if corrected else tagged for fixed, corrected, tagged
                       in zip(frame["corrected_causes"], frame["corrected"], frame["tagger_causes"])]
    frame = frame.drop(columns=["corrected_causes"])
    return frame


def _long(tagged: pd.DataFrame) -> pd.DataFrame:
    """One row per (review, cause); a review with no cause gets `OTHER`."""
    causes = tagged["causes"].map(lambda c: c or (OTHER,))
    return tagged.assign(cause=causes).explode("cause")


def cause_shares(tagged: pd.DataFrame, dimension: str | None = None) -> pd.DataFrame:
    """Columns [key,] cause, reviews, total, share: for each cause (and value of
    `dimension`), the low-star reviews naming it, of all low-star reviews (of that
    value). A review can name several causes, so shares can add up to more than 1.
    `cause` runs through CAUSES then OTHER, causes with no review left out."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValidationFailed("kpi.bad_dimension", dimension=dimension)
    keys = [] if dimension is None else ["key"]
    names = keys + ["cause", "reviews", "total", "share"]
    if tagged.empty:
        return pd.DataFrame(columns=names)
    data = tagged.assign(key=tagged[dimension]) if dimension else tagged
    totals = data.groupby(keys)["id"].nunique() if keys else pd.Series({(): data["id"].nunique()})
    counts = _long(data).groupby(keys + ["cause"])["id"].nunique().reset_index(name="reviews")
    counts["total"] = [int(totals[row.key] if keys else totals[()]) for row in counts.itertuples()]
    counts["share"] = counts["reviews"] / counts["total"]
    order = {c: i for i, c in enumerate((*CAUSES, OTHER))}
    counts = counts.sort_values(keys + ["cause"], key=lambda col: col.map(order) if col.name == "cause" else col)
    return counts[names].reset_index(drop=True)


def cause_trend(tagged: pd.DataFrame) -> pd.DataFrame:
    """Columns month, cause, reviews, total, share: cause shares per month of writing."""
    if tagged.empty:
        return pd.DataFrame(columns=["month", "cause", "reviews", "total", "share"])
    shares = cause_shares(tagged.assign(platform=tagged["month"]), "platform")
    return shares.rename(columns={"key": "month"})


def cause_examples(tagged: pd.DataFrame, cause: str, limit: int = 10) -> pd.DataFrame:
    """The newest reviews naming `cause` (or none, for OTHER): id, created_at, platform,
    brand, product_type, stars, content, causes, corrected."""
    if cause == OTHER:
        chosen = tagged[tagged["causes"].map(len) == 0] if len(tagged) else tagged
    else:
        chosen = tagged[tagged["causes"].map(lambda c: cause in c)] if len(tagged) else tagged
    columns = ["id", "created_at", "platform", "brand", "product_type", "stars", "content", "causes", "corrected"]
    return chosen.head(limit)[columns].reset_index(drop=True) if len(chosen) else \
        pd.DataFrame(columns=columns)


__all__ = ["LOW_STARS", "LIMIT", "DIMENSIONS", "OTHER", "low_star_reviews", "cause_shares",
           "cause_trend", "cause_examples"]
