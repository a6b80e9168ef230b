"""A manager corrects a review's causes: stored in the console's table, overrides the
tagger in the figures, audited, undoable, and training data; on every backend."""
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lib.business import reviews
from lib.commands.review_corrections import correct_review_causes, undo_review_correction
from lib.db import schema as s
from lib.demo.factory import Factory
from lib.errors import NotFound, ValidationFailed
from lib.kpi.filters import KpiFilters
from lib.roles import PermissionDenied
from lib.tagger import train
from lib.tagger.corrections import training_examples
from tests.commands.conftest import ACTORS

F = KpiFilters(date(2026, 1, 1), date(2026, 3, 31), datetime(2026, 4, 1))
AT = datetime(2026, 4, 1, 9, 30)


@pytest.fixture
def two_reviews(engine):
    with engine.begin() as connection:
        make = Factory(connection)
        late = make.review(content="物流太慢了，等了一个星期", stars=1, created_at=datetime(2026, 2, 1))
        odd = make.review(content="差评", stars=2, created_at=datetime(2026, 2, 2))
    return engine, late, odd


def _shares(engine):
    tagged = reviews.low_star_reviews(engine, F)
    return {row.cause: row.reviews for row in reviews.cause_shares(tagged).itertuples()}


def _audit(engine):
    with engine.connect() as connection:
        return connection.execute(select(s.console_audit_log.c.action, s.console_audit_log.c.entity_id,
                                         s.console_audit_log.c.actor, s.console_audit_log.c.before_json,
                                         s.console_audit_log.c.after_json)
                                  .order_by(s.console_audit_log.c.id)).all()


def test_a_correction_overrides_the_tagger_in_the_figures_and_is_audited(two_reviews):
    engine, late, odd = two_reviews
    assert _shares(engine) == {"logistics": 1, "other": 1}
    fixed = correct_review_causes(engine, actor=ACTORS["manager"], review_id=odd,
                                  causes=["price", "product_quality"], now=AT)
    assert fixed.causes == ("product_quality", "price") and fixed.tagger_causes == ()
    assert _shares(engine) == {"product_quality": 1, "logistics": 1, "price": 1}
    tagged = reviews.low_star_reviews(engine, F).set_index("id")
    assert tagged.loc[odd, "corrected"] and tagged.loc[odd, "corrected_by"] == "max"
    assert tagged.loc[odd, "tagger_causes"] == () and not tagged.loc[late, "corrected"]
    # The platform's review is untouched.
    with engine.connect() as connection:
        assert connection.execute(select(s.reviews.c.content).where(s.reviews.c.id == odd)).scalar() == "差评"
    (entry,) = _audit(engine)
    assert entry.action == "review.correct_causes" and entry.entity_id == odd and entry.actor == "max"
    assert '"causes": []' in entry.before_json and '"product_quality", "price"' in entry.after_json


def test_a_correction_can_clear_a_cause_and_be_undone(two_reviews):
    engine, late, _ = two_reviews
    correct_review_causes(engine, actor=ACTORS["manager"], review_id=late, causes=[], now=AT)
    assert _shares(engine) == {"other": 2}
    # the same causes again: nothing changes, nothing more in the audit log
    correct_review_causes(engine, actor=ACTORS["admin"], review_id=late, causes=(), now=AT)
    assert len(_audit(engine)) == 1
    correct_review_causes(engine, actor=ACTORS["admin"], review_id=late, causes=["logistics", "price"], now=AT)
    assert _shares(engine) == {"logistics": 1, "price": 1, "other": 1}
    assert undo_review_correction(engine, actor=ACTORS["manager"], review_id=late, now=AT) is True
    assert undo_review_correction(engine, actor=ACTORS["manager"], review_id=late, now=AT) is False
    assert _shares(engine) == {"logistics": 1, "other": 1}
    assert [e.action for e in _audit(engine)] == ["review.correct_causes", "review.correct_causes",
                                                  "review.undo_correction"]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(s.console_review_corrections)).scalar() == 0


def test_only_managers_and_admins_correct_and_input_is_checked(two_reviews):
    engine, late, _ = two_reviews
    for role in ("hr", "marketing", "none"):
        with pytest.raises(PermissionDenied):
            correct_review_causes(engine, actor=ACTORS[role], review_id=late, causes=[])
    with pytest.raises(ValidationFailed):
        correct_review_causes(engine, actor=ACTORS["manager"], review_id=late, causes=["weather"])
    with pytest.raises(ValidationFailed):
        correct_review_causes(engine, actor=ACTORS["manager"], review_id=late, causes="price")
    with pytest.raises(NotFound):
        correct_review_causes(engine, actor=ACTORS["manager"], review_id=late + 1000, causes=[])
    assert _audit(engine) == []


def test_corrections_feed_the_next_training_run(two_reviews):
    engine, late, odd = two_reviews
    correct_review_causes(engine, actor=ACTORS["manager"], review_id=odd, causes=["service_attitude"], now=AT)
    examples = training_examples(engine)
    assert [(e.id, e.text, e.causes) for e in examples] == [(f"db:{odd}", "差评", frozenset({"service_attitude"}))]
    assert any(r.id == f"db:{odd}" and r.causes == {"service_attitude"} for r in train.training_rows(examples))
