"""Briefing settings (targets and horizons), `[briefing]` of the secrets file:

    [briefing]
    compliance_target = 0.95      # cities under this 24-hour compliance are listed
    first_time_fix_target = 0.85  # the field's average is about 0.74, the best 0.85-0.90
    hr_waiting_days = 7           # applications waiting longer than this are listed
    coupon_expiry_days = 14       # coupons expiring within this many days, not redeemed
    free_repair_horizon_days = 30 # "no free-repair day planned in the next N days"
    list_rows = 5                 # rows shown under each item
    console_url = "https://console.example.com"   # links in digests point here

Unknown keys are refused; ill-typed values too (a typo must not silently move a target).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from lib import config
from lib.errors import ValidationFailed


@dataclass(frozen=True)
class BriefingSettings:
    compliance_target: float = 0.95
    first_time_fix_target: float = 0.85
    hr_waiting_days: int = 7
    coupon_expiry_days: int = 14
    free_repair_horizon_days: int = 30
    list_rows: int = 5
    console_url: str = "http://localhost:8501"

    def __post_init__(self) -> None:
        for name in ("compliance_target", "first_time_fix_target"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= 1:
                raise ValidationFailed("kpi.bad_setting", name=name, value=value)
        for name in ("hr_waiting_days", "coupon_expiry_days", "free_repair_horizon_days", "list_rows"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 3650:
                raise ValidationFailed("kpi.bad_setting", name=name, value=value)
        if not isinstance(self.console_url, str) or not self.console_url.startswith(("http://", "https://")):
            raise ValidationFailed("kpi.bad_setting", name="console_url", value=self.console_url)


def settings_from(values: Mapping[str, Any]) -> BriefingSettings:
    known = {f.name for f in fields(BriefingSettings)}
    unknown = set(values) - known
    if unknown:
        raise ValidationFailed("kpi.bad_setting", name=sorted(unknown)[0], value="?")
    return BriefingSettings(**dict(values))


def load_settings() -> BriefingSettings:
    return settings_from(config.secrets().get("briefing", {}))
