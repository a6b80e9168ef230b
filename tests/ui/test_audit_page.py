"""The audit log page in AppTest: translated columns and actions, changes as
field: old → new, the user-name-part and date filters, in both languages."""
from datetime import timedelta

import pytest

from lib.auth.demo_users import SYSTEM
from lib.commands import queries
from lib.commands.certifications import reject_certification
from lib.db import get_engine
from lib.i18n import translate
from lib.roles import Actor


@pytest.fixture
def decided(console_env):
    """One rejection by a user whose name holds "Reviewer", so the filters have something to find."""
    engine = get_engine(console_env)
    row = queries.certification_queue(engine, actor=SYSTEM)[-1]
    reject_certification(engine, actor=Actor("audit_Reviewer", ("hr",)), certification_id=row["id"],
                         reason="audit page test")
    return row["id"]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_log_reads_as_words_and_changes(open_page, decided, language):
    app = open_page("pages/10_Audit_Log.py", "admin", language=language)
    assert not app.exception and not app.error, app.exception or [e.value for e in app.error]
    frame = app.dataframe[0].value
    columns = [translate(f"forms.audit.{c}", language) for c in ("at", "actor", "role", "action", "record", "changes")]
    assert list(frame.columns) == columns
    mine = frame[frame[columns[1]] == "audit_Reviewer"]
    assert len(mine) >= 1, "the rejection is not in the log"
    assert mine.iloc[0][columns[3]] == translate("adm.action.certification.reject", language)
    assert mine.iloc[0][columns[4]] == f"{translate('forms.entity.engineer_certifications', language)} #{decided}"
    status = translate("forms.field.status", language)
    assert (f"{status}: {translate('adm.status.pending', language)} → "
            f"{translate('adm.status.rejected', language)}") in mine.iloc[0][columns[5]]


def test_the_filters_find_a_part_of_a_user_name_and_a_date_range(open_page, decided):
    app = open_page("pages/10_Audit_Log.py", "admin")
    app.text_input(key="audit.who").set_value("reviewer").run()
    frame = app.dataframe[0].value
    assert set(frame[translate("forms.audit.actor", "en")]) == {"audit_Reviewer"}
    old = app.session_state["audit.period"][0] - timedelta(days=400)
    app.date_input(key="audit.period").set_value((old, old + timedelta(days=1))).run()
    assert not app.dataframe and app.info, "entries outside the date range are shown"
