"""Glue the admin workflow pages share: outcome messages that survive the rerun,
value labels and decision-history tables.

A page acts (inside `shown_errors()`), calls `flash(...)` with what happened and
`st.rerun()`, so the lists drawn above the forms are read again after the
change; `show_flash()` at the top of the page then shows the outcome once.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.i18n import formatting as fmt
from lib.ui.frame import shown_errors
from lib.ui.text import language, t

FLASH_KEY = "admin.flash"


def flash(kind: str, text: str, code: str | None = None) -> None:
    """Remember a message (success, warning, info) to show after the rerun."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text, code))


def show_flash() -> None:
    for kind, text, code in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(text)
        if code:
            st.code(code, language=None)


def label(kind: str, value) -> str:
    """A stored enum value in words: label("category", "gas_stove") -> "Gas stove"."""
    if value is None:
        return t("adm.none")
    key = f"adm.{kind}.{value}"
    text = t(key)
    return str(value) if text == key else text


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
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=key)


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
