"""Tables as CSV bytes for download, safe to open in Excel.

- UTF-8 with a byte-order mark, so Excel shows Chinese instead of mojibake;
- a text cell (or header) starting with =, +, -, @, tab or carriage return gets a
  leading single quote, so a spreadsheet never runs it as a formula (CSV injection);
- ID card numbers never leave: any column named like `id_card_no` is dropped;
- phone numbers are masked (138****5678), never whole.

File names made from data (a brand name in a download or a zip entry) keep only
letters, digits, `_` and `-`: no path separator, no `..`, no control character,
so a brand called `../../x` cannot write outside the folder it is unpacked in.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

import pandas as pd

from lib.masking import mask_phone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_FILE_NAMES = re.compile(r"[^\w-]+")  # \w is Unicode: 美的 and Haier stay
FILE_NAME_PART_LIMIT = 60


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


def file_name_part(text) -> str:
    """`text` (data, e.g. a brand name) made safe to stand inside a file name."""
    part = _NOT_IN_FILE_NAMES.sub("_", str(text)).strip("_-")
    return part[:FILE_NAME_PART_LIMIT] or "_"


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip archive of (name, data); a name met twice gets a numbered suffix, never overwrites."""
    archive, seen = io.BytesIO(), set()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in entries:
            if "/" in name or "\\" in name or name.startswith("."):
                raise ValueError(f"not a plain file name: {name!r}")
            stem, dot, suffix = name.rpartition(".")
            unique, n = name, 1
            while unique in seen:
                n += 1
                unique = f"{stem}_{n}{dot}{suffix}" if dot else f"{name}_{n}"
            seen.add(unique)
            zipped.writestr(unique, data)
    return archive.getvalue()
