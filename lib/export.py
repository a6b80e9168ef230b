"""Tables as CSV bytes for download, safe to open in Excel.

- UTF-8 with a byte-order mark, so Excel shows Chinese instead of mojibake;
- a text cell (or header) starting with =, +, -, @, tab or carriage return gets a
  leading single quote, so a spreadsheet never runs it as a formula (CSV injection);
- ID card numbers never leave: any column named like `id_card_no` is dropped;
- phone numbers are masked (138****5678), never whole.

Numbers as a reader of a spreadsheet wants them (`for_readers`, the one place every
CSV of a table goes through): a share is a percent number (95.2) under a header that
ends in the percent unit ("Compliance (%)"), an amount of money a yuan number with
two decimals (1234.50) under a header ending in the yuan unit ("Payouts (yuan)"); a
missing value is blank. A file name says the date range it covers (`ranged_name`).

File names made from data (a brand name in a download or a zip entry) keep only
letters, digits, `_` and `-`: no path separator, no `..`, no control character,
so a brand called `../../x` cannot write outside the folder it is unpacked in.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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


PERCENT_UNIT, YUAN_UNIT = " (%)", " (yuan)"   # English defaults; pages pass the catalogue's


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _decimal(value: float, places: str) -> Decimal:
    """A Decimal written exactly as rounded ("1234.50"), never quoted as a formula."""
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percent_number(fraction):
    """0.95234 -> 95.2 (a Decimal, one decimal); missing -> None."""
    return None if _missing(fraction) else _decimal(float(fraction) * 100, "0.1")


def yuan_number(fen):
    """123450 fen -> 1234.50 (a Decimal, two decimals); missing -> None."""
    return None if _missing(fen) else _decimal(float(fen) / 100, "0.01")


def _with_unit(label: str, unit: str) -> str:
    return label if label.rstrip().endswith(unit.strip()) else label + unit


def for_readers(frame: pd.DataFrame, labels: Mapping[str, str], *, percent: Iterable[str] = (),
                fen: Iterable[str] = (), percent_unit: str = PERCENT_UNIT,
                yuan_unit: str = YUAN_UNIT) -> pd.DataFrame:
    """`frame`'s columns named in `labels`, in that order and headed by them; `percent`
    columns (fractions 0..1) as percent numbers and `fen` columns as yuan numbers, the
    unit added to the header unless the label already ends in it."""
    percent, fen = set(percent), set(fen)
    out = frame[list(labels)].copy()
    for column in percent:
        out[column] = out[column].map(percent_number).astype(object)
    for column in fen:
        out[column] = out[column].map(yuan_number).astype(object)
    headers = {c: _with_unit(label, percent_unit) if c in percent else
               _with_unit(label, yuan_unit) if c in fen else label for c, label in labels.items()}
    return out.rename(columns=headers)


def ranged_name(stem: str, start: date, end: date, ext: str = "csv") -> str:
    """orders-by-day_2026-09-04_2026-12-02.csv: the stem made safe, then the range."""
    return f"{file_name_part(stem)}_{start.isoformat()}_{end.isoformat()}.{ext}"


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
