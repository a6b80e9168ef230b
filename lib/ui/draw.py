"""Small drawing helpers of the KPI pages: charts at full width, a table with its
CSV download, the words for "nothing to show"."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.export import csv_bytes
from lib.ui.text import t


def empty(key: str = "kp.empty") -> None:
    """Say in words that the filters leave nothing to show (never an empty chart alone)."""
    st.info(t(key), icon="🔍")


def chart(spec) -> None:
    st.altair_chart(spec, width="stretch")


def deck(spec, *, key: str | None = None) -> None:
    st.pydeck_chart(spec, width="stretch", height=520, key=key)


def table(frame: pd.DataFrame, *, labels: dict[str, str], file_name: str, key: str,
          column_config: dict | None = None, export: pd.DataFrame | None = None,
          height: int | str = "auto") -> None:
    """`frame`'s columns named in `labels` (in that order, headed by the labels), then
    a CSV download of the same rows (`export` if given: raw values instead of
    display text)."""
    shown = frame[list(labels)].rename(columns=labels)
    config = {labels[k]: v for k, v in (column_config or {}).items() if k in labels}
    st.dataframe(shown, width="stretch", hide_index=True, column_config=config or None,
                 height=height)
    download = export[list(labels)].rename(columns=labels) if export is not None else shown
    st.download_button(t("kp.download_csv"), csv_bytes(download), file_name=file_name,
                       mime="text/csv", key=f"download.{key}", icon="⬇️",
                       on_click="ignore")
