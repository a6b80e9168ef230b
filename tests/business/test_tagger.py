"""The complaint-cause tagger on the earlier hand-labelled sentences (now training data: see
corpus/train_only; the figures that count are on the frozen split, tests/tagger), and its behaviour."""
import pytest

from lib.business.review_causes import CAUSES, tag_review
from lib.demo import vocabulary as v
from tests.business.labelled_reviews import LABELLED

REQUIRED_ACCURACY = 0.9


def test_labelled_set_is_big_and_varied():
    assert len(LABELLED) >= 60
    causes = {cause for _, wanted in LABELLED for cause in wanted}
    assert causes == set(CAUSES), f"causes without a labelled sentence: {set(CAUSES) - causes}"
    assert sum(1 for _, wanted in LABELLED if not wanted) >= 10, "too few non-complaints"
    assert sum(1 for _, wanted in LABELLED if len(wanted) >= 2) >= 5, "too few multi-cause reviews"


def test_exact_set_accuracy_on_the_labelled_set(capsys):
    misses = [(text, sorted(wanted), sorted(tag_review(text))) for text, wanted in LABELLED
              if set(tag_review(text)) != wanted]
    accuracy = 1 - len(misses) / len(LABELLED)
    with capsys.disabled():
        print(f"\ntagger exact-set accuracy: {accuracy:.3f} on {len(LABELLED)} labelled sentences")
    assert accuracy >= REQUIRED_ACCURACY, f"accuracy {accuracy:.3f}; misses: {misses}"


@pytest.mark.parametrize("text", ["安装很快，没问题", "用了一段时间，没有异味", "一点异味都没有",
                                  "送货上门，安装师傅没有乱收费", "价格不贵", "物流一点也不慢"])
def test_a_negated_mention_is_not_a_complaint(text):
    assert tag_review(text) == frozenset(), text


@pytest.mark.parametrize("text,cause", [("快递盒子都压坏了", "logistics"), ("用了一个月就坏了", "product_quality"),
                                        ("师傅态度不好", "engineer"), ("客服态度不好", "service_attitude"),
                                        ("安装不规范，管子漏水", "installation"), ("机身漏水", "product_quality")])
def test_the_words_around_decide_the_cause(text, cause):
    assert tag_review(text) == {cause}, text


@pytest.mark.parametrize("cause", sorted(v.REVIEW_COMPLAINTS))
def test_every_demo_complaint_gets_its_cause(cause):
    for text in v.REVIEW_COMPLAINTS[cause]:
        assert tag_review("但是" + text) == {cause}, text


def test_demo_praise_is_not_a_complaint():
    for text in (*v.REVIEW_PRAISES, *[p for group in v.CATEGORY_PRAISES.values() for p in group]):
        assert tag_review(text) == frozenset(), text


def test_empty_and_odd_text():
    assert tag_review("") == frozenset()
    assert tag_review(None) == frozenset()
    assert tag_review("!!!。。，，") == frozenset()
