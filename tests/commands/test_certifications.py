"""HR's certification decisions and the queries behind the review page, on every backend."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from lib import audit
from lib.commands.certifications import (approve_certification, approve_certifications,
                                         reject_certification, revoke_certification)
from lib.commands.queries import (certification_detail, certification_history, certification_queue,
                                  engineer_history)
from lib.commands.settings import CommandSettings
from lib.db import schema as s
from lib.demo.factory import Factory
from lib.errors import Conflict, NotFound, ValidationFailed
from tests.commands.conftest import ACTORS, HR, NOW, counts, snapshot

ADMIN = ACTORS["admin"]


def _cert(engine, cert_id):
    with engine.connect() as connection:
        return connection.execute(select(s.engineer_certifications)
                                  .where(s.engineer_certifications.c.id == cert_id)).first()


def _engineer_status(engine, engineer_id):
    with engine.connect() as connection:
        return connection.execute(select(s.engineers.c.status).where(s.engineers.c.id == engineer_id)).scalar()


def test_approve_records_reviewer_activates_applicant_and_audits(engine, world):
    result = approve_certification(engine, actor=HR, certification_id=world.pending, now=NOW)
    assert (result.status, result.reviewed_by, result.reviewed_at) == ("approved", "hua", NOW)
    assert result.engineer_activated and result.engineer_status == "active"
    row = _cert(engine, world.pending)
    assert (row.status, row.reviewed_by, row.reviewed_at) == ("approved", "hua", NOW)
    assert _engineer_status(engine, world.applicant) == "active"
    history = engineer_history(engine, actor=HR, engineer_id=world.applicant)
    assert [h["action"] for h in history] == ["certification.approve", "engineer.activate"]
    assert history[0]["actor_role"] == "hr" and history[0]["after"]["status"] == "approved"


def test_second_approval_of_suspended_engineer_does_not_reactivate(engine, world):
    with engine.begin() as connection:
        make = Factory(connection, seed=3)
        suspended = make.engineer(city_id=world.city, status="suspended")
        cert = make.certification(engineer_id=suspended)
    result = approve_certification(engine, actor=HR, certification_id=cert, now=NOW)
    assert result.engineer_status == "suspended" and not result.engineer_activated
    assert _engineer_status(engine, suspended) == "suspended"


@pytest.mark.parametrize("values,key,params", [
    (dict(exam_score=59), "commands.certification.score_below_pass_mark", {"score": 59, "pass_mark": 60}),
    (dict(exam_score=None), "commands.certification.no_exam_score", {}),
    (dict(id_verified=False), "commands.certification.id_not_verified", {}),
    (dict(work_card_verified=False), "commands.certification.work_card_not_verified", {}),
], ids=["score", "no-score", "id-card", "work-card"])
def test_approval_is_refused_with_the_reason(sqlite_engine, sqlite_world, values, key, params):
    engine, world = sqlite_engine, sqlite_world  # logic only: one backend is enough
    with engine.begin() as connection:
        cert = Factory(connection, seed=4).certification(engineer_id=world.applicant, **values)
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as refused:
        approve_certification(engine, actor=HR, certification_id=cert, now=NOW)
    assert (refused.value.key, refused.value.params) == (key, params)
    assert snapshot(engine) == before


def test_pass_mark_is_a_setting(sqlite_engine, sqlite_world):
    engine, world = sqlite_engine, sqlite_world  # logic only: one backend is enough
    with pytest.raises(ValidationFailed):
        approve_certification(engine, actor=HR, certification_id=world.pending, now=NOW,
                              settings=CommandSettings(pass_mark=90))
    assert approve_certification(engine, actor=HR, certification_id=world.pending,
                                 settings=CommandSettings(pass_mark=85)).status == "approved"


def test_second_decision_is_a_conflict_naming_the_first(engine, world):
    approve_certification(engine, actor=HR, certification_id=world.pending, now=NOW)
    before = counts(engine)
    with pytest.raises(Conflict) as lost:
        reject_certification(engine, actor=ADMIN, certification_id=world.pending, reason="不合格")
    assert lost.value.params == {"by": "hua", "at": NOW, "decision": "approved"}
    with pytest.raises(Conflict):
        approve_certification(engine, actor=ADMIN, certification_id=world.pending)
    assert counts(engine) == before


def test_reject_requires_reason_and_keeps_it(engine, world):
    with pytest.raises(ValidationFailed) as refused:
        reject_certification(engine, actor=HR, certification_id=world.pending, reason="  ")
    assert refused.value.key == "commands.reason_required"
    result = reject_certification(engine, actor=HR, certification_id=world.pending,
                                  reason=" 证件照片模糊 ", now=NOW)
    assert result.status == "rejected"
    row = _cert(engine, world.pending)
    assert (row.status, row.review_note) == ("rejected", "证件照片模糊")
    assert _engineer_status(engine, world.applicant) == "applicant"


def test_revoke_only_approved(engine, world):
    with pytest.raises(ValidationFailed) as refused:
        revoke_certification(engine, actor=HR, certification_id=world.pending, reason="投诉属实")
    assert refused.value.key == "commands.certification.not_approved"
    result = revoke_certification(engine, actor=HR, certification_id=world.approved, reason="投诉属实",
                                  now=NOW)
    assert result.status == "revoked" and result.engineer_status == "active"
    with pytest.raises(Conflict) as lost:
        revoke_certification(engine, actor=ADMIN, certification_id=world.approved, reason="再次撤销")
    assert lost.value.params["by"] == "hua" and lost.value.params["decision"] == "revoked"
    assert [h["action"] for h in certification_history(engine, actor=HR, certification_id=world.approved)] \
        == ["certification.revoke"]


def test_unknown_certification_is_not_found(sqlite_engine, sqlite_world):
    engine, world = sqlite_engine, sqlite_world  # logic only: one backend is enough
    with pytest.raises(NotFound):
        approve_certification(engine, actor=HR, certification_id=999_999)


def test_batch_approval_reports_each(engine, world):
    with engine.begin() as connection:
        make = Factory(connection, seed=5)
        low = make.certification(engineer_id=world.applicant, exam_score=40)
    result = approve_certifications(engine, actor=HR, certification_ids=[world.pending, low, world.approved,
                                                                         999_999, world.pending], now=NOW)
    assert [a.certification_id for a in result.approved] == [world.pending]
    assert {r.certification_id: r.key for r in result.refused} == {
        low: "commands.certification.score_below_pass_mark",
        world.approved: "commands.certification.already_decided",
        999_999: "error.not_found",
    }
    with pytest.raises(ValidationFailed):
        approve_certifications(engine, actor=HR, certification_ids=[])


def test_failure_after_first_statement_leaves_nothing(engine, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit log down")
    monkeypatch.setattr(audit, "record", broken)
    before = snapshot(engine)
    with pytest.raises(RuntimeError):
        approve_certification(engine, actor=HR, certification_id=world.pending, now=NOW)
    assert snapshot(engine) == before
    assert _cert(engine, world.pending).reviewed_by is None


def test_queue_oldest_first_filters_and_masks(engine, world):
    with engine.begin() as connection:
        make = Factory(connection, seed=6)
        elsewhere = make.engineer(city_id=world.other_city, status="applicant")
        newer = make.certification(engineer_id=elsewhere, category="air_conditioner",
                                   applied_at=datetime(2026, 3, 1, 9, 0))
    queue = certification_queue(engine, actor=HR, now=NOW)
    assert [q["id"] for q in queue] == [world.pending, newer]
    assert queue[0]["waiting_days"] == 10 and "*" in queue[0]["phone_masked"]
    assert "phone" not in queue[0] and "id_card_no" not in queue[0]
    assert [q["id"] for q in certification_queue(engine, actor=HR, now=NOW, city_id=world.other_city)] == [newer]
    assert [q["id"] for q in certification_queue(engine, actor=HR, now=NOW, category="water_purifier")] \
        == [world.pending]
    assert [q["id"] for q in certification_queue(engine, actor=HR, now=NOW, min_waiting_days=5)] \
        == [world.pending]


def test_detail_masks_id_card_and_phone(engine, world):
    detail = certification_detail(engine, actor=HR, certification_id=world.pending, now=NOW)
    masked = detail["id_card_masked"]
    assert len(masked) == 18 and masked[6:14] == "*" * 8
    assert detail["exam_score"] == 85 and detail["id_verified"] and detail["pass_mark"] == 60
    assert "id_card_no" not in detail and "phone" not in detail
    assert not any(isinstance(v, str) and len(v) == 18 and v[6:14].isdigit() for v in detail.values())


def test_audit_entries_hold_no_personal_data(engine, world):
    approve_certification(engine, actor=HR, certification_id=world.pending, now=NOW)
    with engine.connect() as connection:
        entries = connection.execute(select(s.console_audit_log.c.before_json,
                                            s.console_audit_log.c.after_json)).all()
        phones = [p for (p,) in connection.execute(select(s.engineers.c.phone))]
        cards = [c for (c,) in connection.execute(select(s.engineers.c.id_card_no))]
    text = json.dumps([tuple(e) for e in entries], ensure_ascii=False)
    assert not any(p in text for p in phones + cards)
