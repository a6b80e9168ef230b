"""Portable SQL the business analyses add to lib/kpi/sql.py: the quarter of a timestamp."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.sql.expression import FunctionElement

from lib.kpi.sql import _register


class quarter_of(FunctionElement):
    """'YYYY-Qn' of a timestamp (n = 1..4)."""
    type = String()
    inherit_cache = True
    name = "quarter_of"


_register(quarter_of,
          "(strftime('%Y', {0}) || '-Q' || ((CAST(strftime('%m', {0}) AS INTEGER) + 2) / 3))",
          "to_char({0}, 'YYYY-\"Q\"Q')",
          "CONCAT(YEAR({0}), '-Q', QUARTER({0}))")


def previous_quarter(quarter: str) -> str:
    """'2026-Q1' -> '2025-Q4'."""
    year, q = int(quarter[:4]), int(quarter[-1])
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"


def quarter_label(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
