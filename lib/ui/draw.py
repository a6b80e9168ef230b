"""Small drawing helpers of the KPI pages: charts at full width, a table with its
CSV download, the words for "nothing to show".

Two costs of every render are left out (issue #19, measured in docs/operations.md):
- a chart is not validated against the Vega-Lite JSON schema again on every render
  (half of altair's `to_dict`): every chart builder's output is validated by
  tests/test_charts.py, and the pages only pass data and translated titles in;
- a table's CSV is built only when the user clicks its download button (Streamlit
  runs the callable then), not on every render for every tab.
"""
from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from lib.export import csv_bytes, for_readers
from lib.i18n.formatting import export_units
from lib.ui.filters import with_range
from lib.ui.text import language, t


def empty(key: str = "kp.empty") -> None:
    """Say in words that the filters leave nothing to show (never an empty chart alone)."""
    st.info(t(key), icon="🔍")


def unvalidated(spec):
    """`spec` whose `to_dict()` (called by st.altair_chart) skips the schema validation."""
    object.__setattr__(spec, "to_dict", functools.partial(type(spec).to_dict, spec, validate=False))
    return spec


SVG = {"embedOptions": {"renderer": "svg"}}   # text in the page: labels can be checked (tests)


def chart(spec) -> None:
    st.altair_chart(unvalidated(spec.properties(usermeta=SVG)), width="stretch")


def deck(spec, *, key: str | None = None) -> None:
    st.pydeck_chart(spec, width="stretch", height=520, key=key)


def table(frame: pd.DataFrame, *, labels: dict[str, str], file_name: str, key: str,
          column_config: dict | None = None, export: pd.DataFrame | None = None,
          height: int | str = "auto", percent: tuple[str, ...] = (), fen: tuple[str, ...] = ()) -> None:
    """`frame`'s columns named in `labels` (in that order, headed by the labels), then
    a CSV download of the same rows (`export` if given: raw values instead of
    display text) named with the view's range. In the CSV the `percent` columns of
    `export` (fractions) are percent numbers and its `fen` columns yuan numbers, the
    unit in the translated header (lib.export.for_readers: the one place this is done)."""
    shown = frame[list(labels)].rename(columns=labels)
    config = {labels[k]: v for k, v in (column_config or {}).items() if k in labels}
    st.dataframe(shown, width="stretch", hide_index=True, column_config=config or None,
                 height=height)
    source = export if export is not None else frame
    units = export_units(language())

    def payload() -> bytes:  # run by Streamlit when the button is clicked, not on render
        return csv_bytes(for_readers(source, labels, percent=percent, fen=fen, **units))

    st.download_button(t("kp.download_csv"), payload, file_name=with_range(file_name),
                       mime="text/csv", key=f"download.{key}", icon="⬇️",
                       on_click="ignore")
