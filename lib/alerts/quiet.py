"""Quiet hours: from `start` (included) to `end` (excluded), local Beijing time. A start
later than the end wraps midnight (22:00-07:00 is quiet from 22:00 to 06:59:59). No
quiet hours when either is None."""
from __future__ import annotations

from datetime import datetime, time


def is_quiet(at: datetime, start: time | None, end: time | None) -> bool:
    if start is None or end is None or start == end:
        return False
    now = at.time().replace(microsecond=0)
    if start < end:
        return start <= now < end
    return now >= start or now < end
