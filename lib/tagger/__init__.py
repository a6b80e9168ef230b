"""The complaint-cause tagger (issue 15): normalise, read in context, rules plus a
trained classifier, a hand-labelled corpus with a frozen test split.

    corpus.py     the labelled reviews (corpus/reviews/*.txt) and the frozen split
    normalise.py  traditional -> simplified, full-width -> half-width, abbreviations
    reading.py    segmentation (jieba), clauses, negation / contrast / hearsay / cleared causes
    rules.py      the hand-written cause phrases, read through reading.py
    model.py      the shipped classifier (a JSON of linear weights) and tag()
    train.py      `python -m lib.tagger train|evaluate` (deterministic rebuild, frozen-split figures)
"""
