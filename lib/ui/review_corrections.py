"""The complaints page's parts for the tagger (issue 15): what each cause means, and a
manager's correction of one review's causes."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.business.review_causes import CAUSES
from lib.business.reviews import OTHER
from lib.commands.review_corrections import correct_review_causes, undo_review_correction
from lib.ui import business_cache, draw
from lib.ui.admin import attempt, flash, show_flash
from lib.ui.text import t


def definitions() -> None:
    """A table: each cause, what counts, what does not (in the user's language)."""
    with st.expander(t("tagger.definitions_title")):
        rows = pd.DataFrame([{"cause": t(f"biz.cause.{c}"), "counts": t(f"tagger.def.{c}"),
                              "not": t(f"tagger.not.{c}")} for c in (*CAUSES, OTHER)])
        draw.table(rows, labels={"cause": t("biz.cause"), "counts": t("tagger.counts"),
                                 "not": t("tagger.not_counts")},
                   column_config={"counts": st.column_config.TextColumn(width="large"),
                                  "not": st.column_config.TextColumn(width="large")},
                   file_name="complaint-cause-definitions.csv", key="complaints.definitions")


def causes_text(causes) -> str:
    return "、".join(t(f"biz.cause.{c}") for c in causes) if causes else t("tagger.none")


def correction_form(ctx, examples: pd.DataFrame, tagged: pd.DataFrame) -> None:
    """Pick one of the example reviews, choose its causes, save (or undo a correction)."""
    if not ctx.user.actor.may("reviews.correct") or examples.empty:
        return
    st.subheader(t("tagger.correct_title"))
    st.caption(t("tagger.correct_help"))
    show_flash()
    by_id = tagged.set_index("id")
    ids = [int(i) for i in examples["id"]]
    review_id = st.selectbox(t("tagger.correct_pick"), ids, key="complaints.correct.review",
                             format_func=lambda i: f"#{i} · {str(by_id.loc[i, 'content'])[:40]}")
    row = by_id.loc[review_id]
    if row["corrected"]:
        st.caption(t("tagger.correct_by", user=row["corrected_by"], tagger=causes_text(row["tagger_causes"])))
    chosen = st.multiselect(t("tagger.correct_causes"), CAUSES, default=list(row["causes"]),
                            format_func=lambda c: t(f"biz.cause.{c}"), key=f"complaints.correct.causes.{review_id}")
    save, undo = st.columns(2)
    engine = ctx.engine

    def saved():
        correct_review_causes(engine, actor=ctx.user.actor, review_id=review_id, causes=chosen)
        business_cache.forget_reviews()
        flash("success", t("tagger.correct_saved", review_id=review_id))

    def undone():
        undo_review_correction(engine, actor=ctx.user.actor, review_id=review_id)
        business_cache.forget_reviews()
        flash("success", t("tagger.correct_undone", review_id=review_id))

    if save.button(t("tagger.correct_save"), key="complaints.correct.save", type="primary"):
        attempt(saved)
    if row["corrected"] and undo.button(t("tagger.correct_undo"), key="complaints.correct.undo"):
        attempt(undone)
