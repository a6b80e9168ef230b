"""What a KPI view is about: a date range, an as-of moment and optional filters.

Empty tuples mean "all". Which filter applies to which KPI is said in each
KPI function's docstring; in short: the date range is on the timestamp the
KPI names, `city_ids` follows an order's community's city (a member's
community's city, an engineer's own city), and brand, service type and source
filter orders only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lib.db.schema import SERVICE_TYPES, SOURCES
from lib.errors import ValidationFailed

PRESETS = ("last_7_days", "last_30_days", "last_90_days", "this_month", "this_quarter")


@dataclass(frozen=True)
class KpiFilters:
    """A validated KPI view: `start`..`end` local dates (both included), `as_of` moment."""

    start: date
    end: date
    as_of: datetime
    city_ids: tuple[int, ...] = ()
    brand_ids: tuple[int, ...] = ()
    service_types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for field, kind in (("start", date), ("end", date), ("as_of", datetime)):
            value = getattr(self, field)
            if not isinstance(value, kind) or (kind is date and isinstance(value, datetime)):
                raise ValidationFailed("kpi.bad_type", field=field)
        if self.start > self.end:
            raise ValidationFailed("kpi.range_reversed", start=self.start.isoformat(),
                                   end=self.end.isoformat())
        for field in ("city_ids", "brand_ids", "service_types", "sources"):
            object.__setattr__(self, field, tuple(getattr(self, field)))
        for field in ("city_ids", "brand_ids"):
            for value in getattr(self, field):
                if not isinstance(value, int) or isinstance(value, bool):
                    raise ValidationFailed("kpi.unknown_value", field=field, value=value)
        for field, allowed in (("service_types", SERVICE_TYPES), ("sources", SOURCES)):
            for value in getattr(self, field):
                if value not in allowed:
                    raise ValidationFailed("kpi.unknown_value", field=field, value=value)

    @property
    def range_start(self) -> datetime:
        """00:00:00 of the first day."""
        return datetime.combine(self.start, datetime.min.time())

    @property
    def range_end(self) -> datetime:
        """00:00:00 of the day after the last day (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), datetime.min.time())

    @property
    def as_of_next(self) -> datetime:
        """One second after as-of: "happened by as-of" is `column < as_of_next`."""
        return self.as_of + timedelta(seconds=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def replace(self, **changes) -> "KpiFilters":
        values = {f: getattr(self, f) for f in self.__dataclass_fields__}
        return KpiFilters(**{**values, **changes})


def previous_period(filters: KpiFilters) -> KpiFilters:
    """The same number of days immediately before `filters.start`, same as-of and filters."""
    end = filters.start - timedelta(days=1)
    return filters.replace(start=end - timedelta(days=filters.days - 1), end=end)


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """(start, end) of a named range ending on `today` (included).

    last_N_days: the N days up to and including today; this_month / this_quarter:
    from the first day of today's month / quarter to today.
    """
    if preset.startswith("last_") and preset in PRESETS:
        days = int(preset.split("_")[1])
        return today - timedelta(days=days - 1), today
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "this_quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    raise ValidationFailed("kpi.bad_preset", preset=preset)
