"""HR's decisions on engineers' certification applications.

Rules (SPEC is silent on these; chosen here):
- Approval needs an exam score at or above the pass mark (setting `pass_mark`,
  default 60) and both the ID card and the work card verified; otherwise it is
  refused with the first unmet condition (score missing, score too low, ID card
  not verified, work card not verified).
- The first approved certification makes an `applicant` engineer `active`. A
  `suspended` engineer stays suspended: approval records the qualification,
  but lifting a suspension is a separate decision this console does not make.
  The result's `engineer_status` tells the page which happened.
- Revoking only applies to an approved certification and does not change the
  engineer's status, even when no approved certification is left: whoever
  plans work checks certifications per category (see free_repair_days).
- The review columns always hold the latest decision (approve, reject, revoke
  or reopen: who, when, note); the audit log keeps every decision.
- A rejected application can be reopened (back to pending) with a reason: a
  rejection by mistake is undone without asking the engineer to apply again.
- Every decision may carry `expected_status`, the status the record was shown
  in when the decision was taken; if it has changed since, the decision is
  refused naming who changed it (from the audit log).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update

from lib import audit
from lib.commands import (Lost, changed_meanwhile, moment, permitted, reading, transaction,
                          validate_id, validate_reason)
from lib.commands.settings import CommandSettings, load_settings
from lib.db.schema import engineer_certifications as certs
from lib.db.schema import engineers
from lib.errors import Conflict, NotFound, UserFacingError, ValidationFailed
from lib.roles import Actor

PERMISSION = "certifications.review"
ENTITY = "engineer_certifications"


@dataclass(frozen=True)
class CertificationDecision:
    certification_id: int
    engineer_id: int
    status: str            # approved, rejected, revoked
    reviewed_by: str
    reviewed_at: datetime
    engineer_status: str   # the engineer's status after the decision
    engineer_activated: bool = False


@dataclass(frozen=True)
class Refusal:
    certification_id: int
    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BatchApproval:
    approved: tuple[CertificationDecision, ...]
    refused: tuple[Refusal, ...]


def approval_blocker(row, pass_mark: int) -> ValidationFailed | None:
    """Why an application may not be approved, or None when it may."""
    if row.exam_score is None:
        return ValidationFailed("commands.certification.no_exam_score")
    if row.exam_score < pass_mark:
        return ValidationFailed("commands.certification.score_below_pass_mark",
                                score=row.exam_score, pass_mark=pass_mark)
    if not row.id_verified:
        return ValidationFailed("commands.certification.id_not_verified")
    if not row.work_card_verified:
        return ValidationFailed("commands.certification.work_card_not_verified")
    return None


def approve_certification(engine, *, actor: Actor, certification_id: int, note: str | None = None,
                          now: datetime | None = None, settings: CommandSettings | None = None,
                          expected_status: str | None = None) -> CertificationDecision:
    """Approve a pending application; the engineer becomes active if an applicant."""
    permitted(actor, PERMISSION)
    certification_id = validate_id(certification_id, field="certification_id")
    note = None if note is None or (isinstance(note, str) and not note.strip()) else validate_reason(note)
    settings = settings or load_settings()
    at = moment(now)
    try:
        with transaction(engine) as connection:
            row = _load(connection, certification_id)
            _expect(connection, row, expected_status)
            if row.status != "pending":
                raise Lost()
            blocker = approval_blocker(row, settings.pass_mark)
            if blocker:
                raise blocker
            _decide(connection, row, "pending", "approved", actor, at, note)
            activated = connection.execute(
                update(engineers).where(engineers.c.id == row.engineer_id,
                                        engineers.c.status == "applicant")
                .values(status="active")).rowcount == 1
            _audit(connection, actor, "certification.approve", row, "approved", at, note)
            if activated:
                audit.record(connection, actor=actor, permission=PERMISSION, action="engineer.activate",
                             entity="engineers", entity_id=row.engineer_id,
                             before={"status": "applicant"},
                             after={"status": "active", "certification_id": certification_id}, at=at)
    except Lost:
        raise _conflict(engine, certification_id) from None
    return CertificationDecision(certification_id, row.engineer_id, "approved", actor.username, at,
                                 "active" if activated else row.engineer_status, activated)


def reject_certification(engine, *, actor: Actor, certification_id: int, reason: str,
                         now: datetime | None = None,
                         expected_status: str | None = None) -> CertificationDecision:
    """Reject a pending application; the reason is required and kept as the review note."""
    permitted(actor, PERMISSION)
    certification_id = validate_id(certification_id, field="certification_id")
    reason = validate_reason(reason)
    return _close(engine, actor, certification_id, "pending", "rejected", "certification.reject",
                  reason, moment(now), expected_status)


def revoke_certification(engine, *, actor: Actor, certification_id: int, reason: str,
                         now: datetime | None = None,
                         expected_status: str | None = None) -> CertificationDecision:
    """Revoke an approved certification; the reason is required."""
    permitted(actor, PERMISSION)
    certification_id = validate_id(certification_id, field="certification_id")
    reason = validate_reason(reason)
    return _close(engine, actor, certification_id, "approved", "revoked", "certification.revoke",
                  reason, moment(now), expected_status)


def reopen_certification(engine, *, actor: Actor, certification_id: int, reason: str,
                         now: datetime | None = None,
                         expected_status: str | None = None) -> CertificationDecision:
    """Put a rejected application back to pending (a rejection by mistake); reason required."""
    permitted(actor, PERMISSION)
    certification_id = validate_id(certification_id, field="certification_id")
    reason = validate_reason(reason)
    at = moment(now)
    with transaction(engine) as connection:
        row = _load(connection, certification_id)
        _expect(connection, row, expected_status)
        if row.status != "rejected":
            raise ValidationFailed("forms.cert.not_rejected", status=row.status)
        _decide(connection, row, "rejected", "pending", actor, at, reason)
        _audit(connection, actor, "certification.reopen", row, "pending", at, reason)
    return CertificationDecision(certification_id, row.engineer_id, "pending", actor.username, at,
                                 row.engineer_status)


def approve_certifications(engine, *, actor: Actor, certification_ids, now: datetime | None = None,
                           settings: CommandSettings | None = None) -> BatchApproval:
    """Approve several at once, each on its own (own checks, own transaction).

    The result lists the approvals and, for the others, the refusal's message key
    and parameters (not passed, already decided, not found...).
    """
    permitted(actor, PERMISSION)
    settings = settings or load_settings()
    if isinstance(certification_ids, (str, bytes)) or not hasattr(certification_ids, "__iter__"):
        raise ValidationFailed("commands.certification.batch_empty")
    ids = list(dict.fromkeys(validate_id(i, field="certification_ids") for i in certification_ids))
    if not ids:
        raise ValidationFailed("commands.certification.batch_empty")
    if len(ids) > settings.batch_max:
        raise ValidationFailed("commands.certification.batch_too_large", maximum=settings.batch_max)
    approved, refused = [], []
    for certification_id in ids:
        try:
            approved.append(approve_certification(engine, actor=actor, certification_id=certification_id,
                                                  now=now, settings=settings))
        except (ValidationFailed, Conflict, NotFound) as error:
            refused.append(Refusal(certification_id, error.key, dict(error.params)))
    return BatchApproval(tuple(approved), tuple(refused))


# -- internals ---------------------------------------------------------------

def _load(connection, certification_id: int):
    row = connection.execute(
        select(certs, engineers.c.status.label("engineer_status"))
        .join(engineers, engineers.c.id == certs.c.engineer_id)
        .where(certs.c.id == certification_id).with_for_update(of=certs)
    ).first()
    if row is None:
        raise NotFound("error.not_found")
    return row


def _decide(connection, row, from_status: str, to_status: str, actor: Actor, at: datetime,
            note: str | None) -> None:
    changed = connection.execute(
        update(certs).where(certs.c.id == row.id, certs.c.status == from_status)
        .values(status=to_status, reviewed_at=at, reviewed_by=actor.username, review_note=note)
    ).rowcount
    if changed != 1:
        raise Lost()


def _audit(connection, actor, action, row, to_status, at, note) -> None:
    audit.record(connection, actor=actor, permission=PERMISSION, action=action, entity=ENTITY,
                 entity_id=row.id,
                 before={"status": row.status, "reviewed_by": row.reviewed_by,
                         "reviewed_at": row.reviewed_at},
                 after={"status": to_status, "reviewed_by": actor.username, "reviewed_at": at,
                        "note": note, "engineer_id": row.engineer_id, "category": row.category,
                        "exam_score": row.exam_score},
                 at=at)


def _expect(connection, row, expected_status: str | None) -> None:
    if expected_status is not None and row.status != expected_status:
        raise changed_meanwhile(connection, entity=ENTITY, entity_id=row.id, status=row.status,
                                expected=expected_status)


def _close(engine, actor, certification_id, from_status, to_status, action, reason, at,
           expected_status=None):
    try:
        with transaction(engine) as connection:
            row = _load(connection, certification_id)
            _expect(connection, row, expected_status)
            if row.status != from_status:
                if row.status == to_status or from_status == "pending":
                    raise Lost()
                raise ValidationFailed("commands.certification.not_approved", status=row.status)
            _decide(connection, row, from_status, to_status, actor, at, reason)
            _audit(connection, actor, action, row, to_status, at, reason)
    except Lost:
        raise _conflict(engine, certification_id) from None
    return CertificationDecision(certification_id, row.engineer_id, to_status, actor.username, at,
                                 row.engineer_status)


def _conflict(engine, certification_id: int) -> UserFacingError:
    with reading(engine) as connection:
        row = connection.execute(select(certs.c.status, certs.c.reviewed_by, certs.c.reviewed_at)
                                 .where(certs.c.id == certification_id)).first()
    if row is None:
        return NotFound("error.not_found")
    if row.status == "pending":  # e.g. revoke of a never-decided application
        return ValidationFailed("commands.certification.not_approved", status=row.status)
    return Conflict("commands.certification.already_decided", by=row.reviewed_by or "?",
                    at=row.reviewed_at, decision=row.status)
