"""KPI settings (SPEC.md: the SLA cut-off and deadlines, the star-level window,
minimum and thresholds, the maintenance intervals). The defaults are SPEC's;
`[kpi]` in `.streamlit/secrets.toml` may override them:

    [kpi]
    sla_cutoff_hour = 11
    sla_due_before_cutoff = [1, 0]    # [days after the creation day, hour]
    sla_due_after_cutoff = [1, 12]
    star_window_days = 90
    star_min_ratings = 10
    star_thresholds = [4.8, 4.5, 4.0, 3.0]   # five, four, three, two stars
    [kpi.maintenance_interval_days]
    water_purifier = 180
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from lib import config
from lib.db.schema import CATEGORIES
from lib.errors import ValidationFailed

DEFAULT_INTERVALS = (("water_purifier", 180), ("air_conditioner", 365), ("range_hood", 365))


@dataclass(frozen=True)
class KpiSettings:
    sla_cutoff_hour: int = 11
    sla_due_before_cutoff: tuple[int, int] = (1, 0)
    sla_due_after_cutoff: tuple[int, int] = (1, 12)
    star_window_days: int = 90
    star_min_ratings: int = 10
    star_thresholds: tuple[float, float, float, float] = (4.8, 4.5, 4.0, 3.0)
    maintenance_intervals: tuple[tuple[str, int], ...] = field(default=DEFAULT_INTERVALS)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sla_due_before_cutoff", tuple(self.sla_due_before_cutoff))
        object.__setattr__(self, "sla_due_after_cutoff", tuple(self.sla_due_after_cutoff))
        object.__setattr__(self, "star_thresholds", tuple(self.star_thresholds))
        intervals = self.maintenance_intervals
        if isinstance(intervals, Mapping):
            intervals = intervals.items()
        object.__setattr__(self, "maintenance_intervals",
                           tuple(sorted((str(k), v) for k, v in intervals)))
        _check(0 <= _int(self.sla_cutoff_hour, "sla_cutoff_hour") <= 23,
               "sla_cutoff_hour", self.sla_cutoff_hour)
        for name in ("sla_due_before_cutoff", "sla_due_after_cutoff"):
            value = getattr(self, name)
            _check(len(value) == 2 and _int(value[0], name) >= 0
                   and 0 <= _int(value[1], name) <= 23, name, value)
        _check(_int(self.star_window_days, "star_window_days") > 0,
               "star_window_days", self.star_window_days)
        _check(_int(self.star_min_ratings, "star_min_ratings") >= 1,
               "star_min_ratings", self.star_min_ratings)
        t = self.star_thresholds
        _check(len(t) == 4 and all(isinstance(x, (int, float)) and 1 <= x <= 5 for x in t)
               and list(t) == sorted(t, reverse=True), "star_thresholds", t)
        for category, days in self.maintenance_intervals:
            _check(category in CATEGORIES and _int(days, category) > 0,
                   "maintenance_interval_days", f"{category}={days}")

    def due_offset_seconds(self, before_cutoff: bool) -> int:
        """Seconds from 00:00 of the creation day to the due moment."""
        days, hour = self.sla_due_before_cutoff if before_cutoff else self.sla_due_after_cutoff
        return days * 86400 + hour * 3600

    @property
    def interval_days(self) -> dict[str, int]:
        return dict(self.maintenance_intervals)


def _int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationFailed("kpi.bad_setting", name=name, value=value)
    return value


def _check(ok: bool, name: str, value: Any) -> None:
    if not ok:
        raise ValidationFailed("kpi.bad_setting", name=name, value=value)


def settings_from(values: Mapping[str, Any]) -> KpiSettings:
    """Settings from a `[kpi]` table; unknown keys are refused, missing keys default."""
    values = dict(values)
    if "maintenance_interval_days" in values:
        intervals = dict(DEFAULT_INTERVALS)
        intervals.update(values.pop("maintenance_interval_days"))
        values["maintenance_intervals"] = intervals
    unknown = set(values) - set(KpiSettings.__dataclass_fields__)
    if unknown:
        raise ValidationFailed("kpi.bad_setting", name=sorted(unknown)[0], value="?")
    return KpiSettings(**values)


def load_settings() -> KpiSettings:
    """The configured settings (`[kpi]` of the secrets file), SPEC's defaults otherwise."""
    return settings_from(config.secrets().get("kpi", {}))
