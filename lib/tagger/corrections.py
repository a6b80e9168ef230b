"""The managers' corrections as training data (the write is lib/commands/review_corrections.py)."""
from __future__ import annotations

from sqlalchemy import select

from lib.commands.review_corrections import decode
from lib.db.schema import console_review_corrections as corrections
from lib.db.schema import reviews
from lib.tagger.corpus import Labelled


def training_examples(engine) -> list[Labelled]:
    """Each corrected review's text with its corrected causes, by review id."""
    query = (select(corrections.c.review_id, reviews.c.content, corrections.c.causes)
             .select_from(corrections.join(reviews, reviews.c.id == corrections.c.review_id))
             .order_by(corrections.c.review_id))
    with engine.connect() as connection:
        return [Labelled(f"db:{row.review_id}", row.content or "", frozenset(decode(row.causes)))
                for row in connection.execute(query) if (row.content or "").strip()]


__all__ = ["training_examples"]
