"""Beijing local time, as the service database stores it (naive, UTC+8, no DST)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def now_local() -> datetime:
    """Now in Beijing time, naive and to the second, like the database's timestamps."""
    return datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)
