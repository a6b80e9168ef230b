"""The labelled corpus and its frozen test split: big and varied enough, and the
split unchanged since it was drawn (before any tuning)."""
from collections import Counter

from lib.business.review_causes import CAUSES
from lib.tagger import corpus

# Written when the split was drawn; a change to a test review (its id, text or
# labels) or to the set of test ids changes it. Do not update it to make a test pass.
FROZEN_TEST_CHECKSUM = "85fc19508e629ea8c02642359cf011487ab75706034ad9aca97a96e0f938a9b8"
FROZEN_TEST_SIZE = 284


def test_the_frozen_test_split_has_not_changed():
    train, test = corpus.split()
    assert len(test) == FROZEN_TEST_SIZE
    assert corpus.checksum(test) == FROZEN_TEST_CHECKSUM


def test_the_split_file_is_the_rule_drawn_once_and_covers_only_corpus_ids():
    rows = corpus.load()
    ids = {r.id for r in rows}
    frozen = corpus.test_ids()
    assert frozen <= ids
    # Every review in the corpus is where the fixed rule puts it (a review added
    # later to a batch is split by the same rule, recorded in the file).
    assert {r.id for r in rows if corpus.in_test_split(r.id)} == frozen


def test_train_and_test_do_not_share_a_text():
    train, test = corpus.split()
    assert not {r.text for r in train} & {r.text for r in test}
    assert len(train) + len(test) == len(corpus.load())


def test_the_corpus_is_big_and_varied():
    rows = corpus.load()
    assert len(rows) >= 1000
    assert len({r.text for r in rows}) == len(rows), "duplicate texts"
    per_cause = Counter(c for r in rows for c in r.causes)
    assert set(per_cause) == set(CAUSES)
    assert min(per_cause.values()) >= 50
    assert sum(1 for r in rows if not r.causes) >= 200, "praise-only and neutral reviews"
    assert sum(1 for r in rows if len(r.causes) >= 2) >= 100, "reviews with several causes"
    assert sum(1 for r in rows if len(r.text) >= 60) >= 30, "long reviews"
    assert sum(1 for r in rows if len(r.text) <= 8) >= 40, "short reviews"
    traditional = sum(1 for r in rows if any(ch in r.text for ch in "裝師傅濾發貴製遲壞聲時說買們這對問"))
    assert traditional >= 40, "reviews in traditional characters"
    assert len({r.id.split(":")[0] for r in rows}) >= 10, "several batches (product types, themes)"


def test_parse_line_refuses_unknown_codes():
    import pytest
    assert corpus.parse_line("pq,lg | 坏了") == (frozenset({"product_quality", "logistics"}), "坏了")
    assert corpus.parse_line("- | 好") == (frozenset(), "好")
    with pytest.raises(ValueError):
        corpus.parse_line("xx | 坏了")
    with pytest.raises(ValueError):
        corpus.parse_line("坏了")
