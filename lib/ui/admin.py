"""Glue the admin workflow pages share: the two-step decision (ask, then confirm),
outcome messages that survive the rerun, value labels and decision-history tables.

A decision is taken in two steps. The form's button only checks the input
(`problems_shown`, every problem at once) and `propose`s: it captures, in
session state, what will be done to which record (ids, the status the record
was shown in, the note) as a summary and a function. `proposal_panel` shows
that summary with one explicit Confirm; Confirm runs the captured function in a
button callback, so it acts on the ids of the summary, never on what a widget
holds at that moment, and a second click finds nothing left to do. The outcome
is `flash`ed next to the form (`show_flash(section)`) and, on success, the
form's typed input is cleared; after an error it stays.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import streamlit as st

from lib.db.engine import is_unavailable
from lib.errors import OutcomeUnknown, Problems, UserFacingError
from lib.i18n import formatting as fmt
from lib.roles import PermissionDenied
from lib.ui import draw
from lib.ui.frame import shown_errors
from lib.ui.text import language, plain, t

FLASH_KEY = "admin.flash"
PENDING_KEY = "forms.pending"


def flash(kind: str, text: str, code: str | None = None, *, where: str | None = None) -> None:
    """Remember a message (success, warning, info, error) to show after the rerun,
    at the top of the page or, with `where`, next to that section's form."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text, code, where))


def show_flash(where: str | None = None) -> None:
    kept = []
    for kind, text, code, place in st.session_state.pop(FLASH_KEY, []):
        if place != where:
            kept.append((kind, text, code, place))
            continue
        getattr(st, kind)(text)
        if code:
            st.code(code, language=None)
    if kept:
        st.session_state[FLASH_KEY] = kept


def error_text(error: UserFacingError) -> str:
    """A refusal in words; several problems as a list, every one of them."""
    if isinstance(error, Problems):
        return "\n".join([t("forms.problems", count=len(error.problems))] +
                          [f"- {t(p.key, **p.params)}" for p in error.problems])
    return t(error.key, **error.params)


def problems_shown(*checks: Callable[[], object]) -> bool:
    """Run every check; show all refusals at once in one message. True when there were some."""
    found = []
    for check in checks:
        try:
            check()
        except Problems as error:
            found.extend(error.problems)
        except UserFacingError as error:
            found.append(error)
    if found:
        st.error(error_text(found[0] if len(found) == 1 else Problems(found)))
    return bool(found)


@dataclass
class Proposal:
    section: str
    title: str
    lines: list[str]
    act: Callable[["Proposal"], None]
    clear: tuple[str, ...] = ()
    attempt: str = field(default_factory=lambda: uuid.uuid4().hex)


def propose(section: str, title: str, lines: list[str], act: Callable[[Proposal], None],
            clear: tuple[str, ...] = ()) -> None:
    """Ask before acting: `act(proposal)` runs only when the user confirms this summary."""
    st.session_state.setdefault(PENDING_KEY, {})[section] = Proposal(section, title, lines, act, clear)


def pending(section: str) -> Proposal | None:
    return st.session_state.get(PENDING_KEY, {}).get(section)


def drop(section: str) -> None:
    st.session_state.get(PENDING_KEY, {}).pop(section, None)


def proposal_panel(section: str) -> bool:
    """The section's outcome messages, then its open proposal (summary, Confirm, Back).
    True while a proposal waits for its confirmation."""
    show_flash(section)
    proposal = pending(section)
    if proposal is None:
        return False
    with st.container(border=True, key=f"{section}.summary"):
        st.markdown(f"**{proposal.title}**")
        st.markdown("\n".join(f"- {line}" for line in proposal.lines))
        left, right = st.columns(2)
        left.button(t("forms.confirm"), key=f"{section}.confirm", type="primary", icon="✔️",
                    on_click=_confirm, args=(section,), width="stretch")
        right.button(t("forms.back"), key=f"{section}.back", on_click=drop, args=(section,),
                     width="stretch")
    return True


def _confirm(section: str) -> None:
    proposal = pending(section)
    if proposal is None:       # a second click: the first one did it
        return
    try:
        proposal.act(proposal)
    except OutcomeUnknown as error:    # keep the proposal: trying again is safe
        flash("error", t(error.key, **error.params), where=section)
        return
    except UserFacingError as error:
        flash("error", error_text(error), where=section)
    except PermissionDenied:
        flash("error", t("error.permission_denied"), where=section)
    except Exception as error:
        if not is_unavailable(error):
            raise
        flash("error", t("error.database_unavailable"), where=section)
    else:
        for key in proposal.clear:
            st.session_state.pop(key, None)
    drop(section)


def name(value) -> str:
    """Text from the database, safe to put into markdown."""
    return plain("" if value is None else str(value))


def label(kind: str, value) -> str:
    """A stored enum value in words: label("category", "gas_stove") -> "Gas stove"."""
    if value is None:
        return t("adm.none")
    for key in (f"adm.{kind}.{value}", f"forms.{kind}.{value}"):
        text = t(key)
        if text != key:
            return text
    return str(value)


def yes_no(value) -> str:
    return t("adm.yes") if value else t("adm.no")


def when(value) -> str:
    return fmt.moment(value, language())


def money(fen) -> str:
    return fmt.money(fen, language())


def day(value) -> str:
    return fmt.day(value, language())


def waiting(row: dict) -> str:
    return t("adm.waiting_value", days=row["waiting_days"], hours=row["waiting_hours"] % 24)


def count_caption(rows: list, limit: int) -> None:
    st.caption(t("adm.count_capped", count=len(rows)) if len(rows) >= limit
               else t("adm.count", count=len(rows)))


def history_table(entries: list[dict], *, key: str) -> None:
    """Decisions from the audit log, oldest first: when, who, what, outcome, note."""
    if not entries:
        st.caption(t("adm.history.empty"))
        return
    rows = []
    for entry in entries:
        after = entry.get("after") or {}
        note = after.get("note") or after.get("reason") or ""
        rows.append({
            t("adm.history.at"): when(entry["at"]), t("adm.history.actor"): entry["actor"],
            t("adm.history.role"): t(f"role.{entry['actor_role']}") if entry.get("actor_role") else "",
            t("adm.history.action"): label("action", entry["action"]),
            t("adm.id"): f"#{entry['entity_id']}",
            t("adm.history.outcome"): label("status", after.get("status")),
            t("adm.history.note"): note,
        })
    draw.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=key)


def attempt(action) -> None:
    """Run `action()` (which flashes its outcome) with errors shown in place; when it
    went through, rerun so the lists above show the change."""
    done = False
    with shown_errors():
        action()
        done = True
    if done:
        st.rerun()


def event_calendar(events: pd.DataFrame):
    """Events on a date axis, one row per city, coloured by status (columns: event_date,
    city, community, status_label, id)."""
    import altair as alt
    return (alt.Chart(events).mark_point(filled=True, size=160)
            .encode(x=alt.X("event_date:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
                    y=alt.Y("city:N", title=None),
                    color=alt.Color("status_label:N", title=None, legend=alt.Legend(orient="top")),
                    shape=alt.Shape("status_label:N", title=None),
                    tooltip=[alt.Tooltip("id:Q", title=t("adm.id")),
                             alt.Tooltip("event_date:T", title=t("frd.event_date"), format="%Y-%m-%d"),
                             alt.Tooltip("community:N", title=t("frd.community")),
                             alt.Tooltip("status_label:N", title=t("adm.status"))])
            .properties(height=max(140, 36 * events["city"].nunique())))


def exported_csv(build: Callable[[], pd.DataFrame], *, engine, actor, page: str,
                 what: str) -> Callable[[], bytes]:
    """The `data=` of a download button for a CSV holding personal data.

    The file is built only when the button is clicked, over the signed-in
    session's WebSocket, and each build is audited (who, page, rows). The file's
    address then lives only until the server's next clean-ups of unreferenced
    downloads (forced a few seconds later), so a copied link does not keep
    serving the data to anyone without a cookie while the session lives.
    """
    from lib import audit
    from lib.export import csv_bytes

    def data() -> bytes:
        frame = build()
        audit.record_export(engine, actor=actor, page=page, rows=len(frame), what=what)
        _forget_downloads_soon()
        return csv_bytes(frame)
    return data


def _forget_downloads_soon(after_seconds: float = 15.0) -> None:
    """Drop unreferenced download files shortly after one was served (two passes: the
    media manager marks a file first and deletes it on the next pass)."""
    import threading

    from streamlit import runtime
    if not runtime.exists():
        return
    manager = runtime.get_instance().media_file_mgr

    def sweep() -> None:
        manager.remove_orphaned_files()
        manager.remove_orphaned_files()
    timer = threading.Timer(after_seconds, sweep)
    timer.daemon = True
    timer.start()


def _field_value(field_name: str, value) -> str:
    if value is None:
        return "–"
    if field_name.endswith("_fen") and isinstance(value, int):
        return money(value)
    if field_name == "status":
        return label("status", value)
    if isinstance(value, list):
        return "、".join(label("service", v) if field_name == "services" else str(v) for v in value)
    return str(value)


def change_lines(before: dict | None, after: dict | None) -> str:
    """An entry's changes, one line per field: "Status: pending → approved"."""
    from lib import audit
    lines = []
    for field_name, old, new in audit.changes(before, after):
        title = label("field", field_name)
        if before is None or field_name not in before:
            lines.append(f"{title}: {_field_value(field_name, new)}")
        else:
            lines.append(f"{title}: {_field_value(field_name, old)} → {_field_value(field_name, new)}")
    return "\n".join(lines)


def audit_frame(rows: list[dict]) -> pd.DataFrame:
    """Audit entries with translated columns and actions, changes as field: old → new."""
    import json

    def loaded(text):
        return json.loads(text) if text else None
    return pd.DataFrame([{
        t("forms.audit.at"): when(row["at"]), t("forms.audit.actor"): row["actor"],
        t("forms.audit.role"): t(f"role.{row['actor_role']}") if row.get("actor_role") in
        ("admin", "manager", "hr", "marketing") else row.get("actor_role"),
        t("forms.audit.action"): label("action", row["action"]),
        t("forms.audit.record"): label("entity", row["entity"]) + (
            f" #{row['entity_id']}" if row["entity_id"] is not None else ""),
        t("forms.audit.changes"): change_lines(loaded(row["before_json"]), loaded(row["after_json"])),
    } for row in rows], columns=[t("forms.audit.at"), t("forms.audit.actor"), t("forms.audit.role"),
                                 t("forms.audit.action"), t("forms.audit.record"), t("forms.audit.changes")])
