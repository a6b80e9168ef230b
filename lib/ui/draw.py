"""Small drawing helpers of the pages: charts at full width, a table with its CSV
download, the words for "nothing to show", and `dataframe`, the one place every
table of the console is drawn: a missing value is shown as a dash with a caption
saying what it means, never as Streamlit's "None" (issue 12; tests/ui/test_no_none).

Two costs of every render are left out (issue #19, measured in docs/operations.md):
- a chart is built once per distinct input and kept (lib.ui.chart_specs), not built
  and converted to Vega-Lite again on every render;
- a table's CSV is built only when the user clicks its download button (Streamlit
  runs the callable then), not on every render for every tab.
"""
from __future__ import annotations

import functools
import numbers
from datetime import date, datetime

import pandas as pd
import streamlit as st

from lib.export import csv_bytes, for_readers
from lib.i18n import formatting as fmt
from lib.i18n.formatting import export_units
from lib.ui import chart_specs
from lib.ui.filters import with_range
from lib.ui.text import language, t


def empty(key: str = "kp.empty") -> None:
    """Say in words that the filters leave nothing to show (never an empty chart alone)."""
    st.info(t(key), icon="🔍")


DASH = "–"
_KEEPS_ITS_FORMAT = ("number", "progress")


def _type_config(config) -> dict:
    return (config.get("type_config") or {}) if isinstance(config, dict) else {}


def _cell_text(value, number_format: str | None, language: str):
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value):
        return DASH
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        if number_format:
            return number_format % value
        if float(value).is_integer():
            return str(int(value))
        return fmt.number(value, language)
    if isinstance(value, datetime):
        return fmt.moment(value, language)
    if isinstance(value, date):
        return fmt.day(value, language)
    return value if isinstance(value, str) else str(value)


def without_none(frame: pd.DataFrame, column_config: dict | None, language: str
                 ) -> tuple[pd.DataFrame, bool, dict]:
    """(frame, dashed, column_config) to show: in each column with a missing value every
    cell becomes text (numbers in the column's own format), a missing one a dash; a
    link column's missing target is blank. `dashed`: a dash was put in (say what it
    means under the table). A number column's config is dropped where it became text."""
    config = dict(column_config or {})
    out, dashed = frame, False
    for column in frame.columns:
        gaps = frame[column].isna()
        if not gaps.any():
            continue
        if out is frame:
            out = frame.copy()
        kind = _type_config(config.get(column))
        if kind.get("type") == "link":
            out[column] = frame[column].astype(object).where(~gaps, "")
            continue
        dashed = True
        number_format = kind.get("format") if kind.get("type") in _KEEPS_ITS_FORMAT else None
        if number_format and "%" not in number_format:
            number_format = None
        out[column] = frame[column].astype(object).map(
            lambda v: _cell_text(v, number_format, language)).astype(object)
        if kind.get("type") in _KEEPS_ITS_FORMAT:
            config.pop(column, None)
    return out, dashed, config


def dataframe(frame: pd.DataFrame, *, column_config: dict | None = None, missing_note: str | None = None,
              **kwargs):
    """st.dataframe without "None": missing values as dashes, explained in a caption."""
    shown, dashed, config = without_none(frame, column_config, language())
    result = st.dataframe(shown, column_config=config or None, **kwargs)
    if dashed:
        st.caption(missing_note or t("i18n.dash_note"))
    return result


def static_table(frame: pd.DataFrame, *, missing_note: str | None = None) -> None:
    """st.table without "None" (as `dataframe`)."""
    shown, dashed, _ = without_none(frame, None, language())
    st.table(shown)
    if dashed:
        st.caption(missing_note or t("i18n.dash_note"))


def chart(recipe: functools.partial, *, width: str | int = "stretch") -> None:
    """Draw the chart `recipe()` builds: a `lib.charts` builder with its inputs, as a
    `functools.partial`; its spec is built once per distinct input and language and
    kept (lib.ui.chart_specs), so a warm render builds no chart."""
    st.vega_lite_chart(spec=chart_specs.vega_lite(recipe, context=language()), width=width)


def deck(spec, *, key: str | None = None) -> None:
    st.pydeck_chart(spec, width="stretch", height=520, key=key)


def table(frame: pd.DataFrame, *, labels: dict[str, str], file_name: str, key: str,
          column_config: dict | None = None, export: pd.DataFrame | None = None,
          height: int | str = "auto", percent: tuple[str, ...] = (), fen: tuple[str, ...] = (),
          missing_note: str | None = None) -> None:
    """`frame`'s columns named in `labels` (in that order, headed by the labels), then
    a CSV download of the same rows (`export` if given: raw values instead of
    display text) named with the view's range. In the CSV the `percent` columns of
    `export` (fractions) are percent numbers and its `fen` columns yuan numbers, the
    unit in the translated header (lib.export.for_readers: the one place this is done)."""
    shown = frame[list(labels)].rename(columns=labels)
    config = {labels[k]: v for k, v in (column_config or {}).items() if k in labels}
    dataframe(shown, width="stretch", hide_index=True, column_config=config, height=height,
              missing_note=missing_note)
    source = export if export is not None else frame
    units = export_units(language())

    def payload() -> bytes:  # run by Streamlit when the button is clicked, not on render
        return csv_bytes(for_readers(source, labels, percent=percent, fen=fen, **units))

    st.download_button(t("kp.download_csv"), payload, file_name=with_range(file_name),
                       mime="text/csv", key=f"download.{key}", icon="⬇️",
                       on_click="ignore")
