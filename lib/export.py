"""Tables as CSV bytes for download, safe to open in Excel.

- UTF-8 with a byte-order mark, so Excel shows Chinese instead of mojibake;
- a text cell (or header) starting with =, +, -, @, tab or carriage return gets a
  leading single quote, so a spreadsheet never runs it as a formula (CSV injection);
- ID card numbers never leave: any column named like `id_card_no` is dropped;
- phone numbers are masked (138****5678), never whole.
"""
from __future__ import annotations

import pandas as pd

from lib.masking import mask_phone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text value that a spreadsheet could run as a formula, quoted; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_id_card(column) -> bool:
    name = str(column).lower().replace(" ", "_")
    return "id_card" in name or name in ("idcard", "id_number")


def _is_phone(column) -> bool:
    name = str(column).lower()
    return name == "phone" or name.endswith("_phone") or name.startswith("phone_")


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for export: ID card columns dropped, phones masked, formulas neutralised."""
    out = frame.drop(columns=[c for c in frame.columns if _is_id_card(c)]).copy()
    for column in out.columns:
        if _is_phone(column):
            out[column] = out[column].map(lambda v: mask_phone(None if pd.isna(v) else str(v)))
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as Excel-friendly, injection-safe CSV (see module doc)."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")
