"""Why customers complain: tag a Chinese e-commerce review with its complaint causes.

The tagger lives in lib/tagger (issue 15): the text is normalised (OpenCC
traditional -> simplified, full-width -> half-width, abbreviations such as
kf -> 客服), read in context (jieba words; clauses; negation and its scope;
contrast; hearsay and quoted pitches; causes the reviewer rules out), and
tagged by one trained classifier per cause that weighs character n-grams,
words and the hand-written rules' hits. Its figures on a frozen test split
are in docs/review-causes.md.

This module keeps the business-facing names: the causes and `tag_review`.
"""
from __future__ import annotations

from lib.tagger.causes import CAUSES


def tag_review(text: str | None) -> frozenset[str]:
    """The complaint causes a review's text names (empty: none found)."""
    from lib.tagger.model import tag
    return tag(text)


__all__ = ["CAUSES", "tag_review"]
