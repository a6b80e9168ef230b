"""A manager corrects the complaint causes the tagger gave a review (issue 15).

The correction lives in the console's own `console_review_corrections` (the
platform's `reviews` is never written); it overrides the tagger in every
figure of the complaints page (lib/business/reviews.py) and joins the next
training run (`python -m lib.tagger train --db URL`).

- `correct_review_causes(engine, *, actor, review_id, causes)`: causes a subset of
  CAUSES (empty: the review names no cause); stored in CAUSES order. Saving the
  same causes again changes nothing and is not audited.
- `undo_review_correction(engine, *, actor, review_id)`: back to the tagger.
Both audited (`review.correct_causes`, `review.undo_correction`, entity `review`)
in the same transaction, before and after. Two managers at once: the later
save wins and both are in the audit log (a correction is a judgement, not a
state machine; the audit shows who said what).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from lib import audit
from lib.commands import moment, permitted, transaction, validate_id
from lib.db.schema import console_review_corrections as corrections
from lib.db.schema import reviews
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.roles import Actor
from lib.tagger.causes import CAUSES

PERMISSION = "reviews.correct"


@dataclass(frozen=True)
class Correction:
    review_id: int
    causes: tuple[str, ...]
    tagger_causes: tuple[str, ...]
    corrected_by: str
    corrected_at: datetime


def encode(causes) -> str:
    return ",".join(c for c in CAUSES if c in set(causes))


def decode(text: str | None) -> tuple[str, ...]:
    wanted = set((text or "").split(","))
    return tuple(c for c in CAUSES if c in wanted)


def validate_causes(causes: object) -> tuple[str, ...]:
    if isinstance(causes, (str, bytes)) or not hasattr(causes, "__iter__"):
        raise ValidationFailed("tagger.bad_causes", causes=str(causes))
    causes = list(causes)
    unknown = [c for c in causes if c not in CAUSES]
    if unknown:
        raise ValidationFailed("tagger.bad_causes", causes=", ".join(map(str, unknown)))
    return tuple(c for c in CAUSES if c in set(causes))


def correct_review_causes(engine, *, actor: Actor, review_id: int, causes,
                          now: datetime | None = None) -> Correction:
    actor = permitted(actor, PERMISSION)
    review_id = validate_id(review_id, field="review_id")
    wanted = validate_causes(causes)
    at = moment(now)
    from lib.tagger.model import shipped
    model = shipped()
    try:
        with transaction(engine) as connection:
            text = connection.execute(select(reviews.c.content).where(reviews.c.id == review_id)).first()
            if text is None:
                raise NotFound("tagger.no_review", review_id=review_id)
            tagger = tuple(c for c in CAUSES if c in model.tag(text[0]))
            old = connection.execute(select(corrections.c.causes, corrections.c.corrected_by)
                                     .where(corrections.c.review_id == review_id)).first()
            before = ({"causes": list(decode(old.causes)), "by": old.corrected_by} if old
                      else {"causes": list(tagger), "by": f"tagger {model.version}"})
            if old is not None and decode(old.causes) == wanted:
                return Correction(review_id, wanted, tagger, old.corrected_by, at)
            values = dict(causes=encode(wanted), tagger_causes=encode(tagger), model_version=model.version,
                          corrected_by=actor.username, corrected_at=at)
            if old is None:
                connection.execute(insert(corrections).values(review_id=review_id, **values))
            else:
                connection.execute(update(corrections).where(corrections.c.review_id == review_id)
                                   .values(**values))
            audit.record(connection, actor=actor, permission=PERMISSION, action="review.correct_causes",
                         entity="review", entity_id=review_id, before=before,
                         after={"causes": list(wanted)}, at=at)
    except IntegrityError as error:   # another manager inserted the first correction a moment ago
        raise Conflict("tagger.corrected_meanwhile", review_id=review_id) from error
    return Correction(review_id, wanted, tagger, actor.username, at)


def undo_review_correction(engine, *, actor: Actor, review_id: int, now: datetime | None = None) -> bool:
    """Remove the correction (the tagger's causes count again). False: there was none."""
    actor = permitted(actor, PERMISSION)
    review_id = validate_id(review_id, field="review_id")
    at = moment(now)
    with transaction(engine) as connection:
        old = connection.execute(select(corrections.c.causes, corrections.c.corrected_by)
                                 .where(corrections.c.review_id == review_id)).first()
        if old is None:
            return False
        connection.execute(delete(corrections).where(corrections.c.review_id == review_id))
        audit.record(connection, actor=actor, permission=PERMISSION, action="review.undo_correction",
                     entity="review", entity_id=review_id,
                     before={"causes": list(decode(old.causes)), "by": old.corrected_by}, after=None, at=at)
    return True


__all__ = ["Correction", "correct_review_causes", "undo_review_correction", "decode", "encode"]
