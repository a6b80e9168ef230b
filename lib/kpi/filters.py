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

PRESETS = ("yesterday", "last_7_days", "last_30_days", "last_90_days", "last_week", "this_month",
           "last_month", "this_quarter", "last_quarter", "year_to_date")
COMPARISONS = ("previous", "last_year")


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


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _months_back(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, clipped to that month's end."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (first_of_next - timedelta(days=1)).day))


def _month_end(day: date) -> date:
    return _months_back(day.replace(day=1), -1) - timedelta(days=1)


def _year_back(day: date) -> date:
    return _months_back(day, 12)


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """(start, end) of a named range relative to `today`.

    last_N_days: the N days up to and including today; this_month / this_quarter /
    year_to_date: from the first day of today's month / quarter / year to today;
    yesterday, last_week (Monday to Sunday), last_month, last_quarter: the last
    complete day, week, month or quarter before today.
    """
    if preset in ("last_7_days", "last_30_days", "last_90_days"):
        days = int(preset.split("_")[1])
        return today - timedelta(days=days - 1), today
    if preset == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if preset == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_quarter":
        return _quarter_start(today), today
    if preset == "last_quarter":
        end = _quarter_start(today) - timedelta(days=1)
        return _quarter_start(end), end
    if preset == "year_to_date":
        return date(today.year, 1, 1), today
    raise ValidationFailed("kpi.bad_preset", preset=preset)


def _calendar_months(start: date, end: date) -> int:
    """How many calendar months a range starting on a month's first day touches (0 when
    it starts on another day)."""
    if start.day != 1:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def comparison_period(filters: KpiFilters, kind: str) -> KpiFilters:
    """The period to compare `filters` with, like with like.

    previous: the period just before, of the same kind: the previous calendar
    month(s) for a range starting on a month's first day (this month, last quarter,
    year to date...), else the same number of days just before. last_year: the same
    dates a year earlier. When the current period has not ended at as-of, the
    comparison is cut at the same elapsed moment (its as-of is as-of moved back by
    the same shift), so a two-thirds quarter is compared with two thirds of one.
    """
    if kind not in COMPARISONS:
        raise ValidationFailed("kpi.bad_preset", preset=kind)
    months = _calendar_months(filters.start, filters.end)
    if kind == "last_year":
        def back(day: date) -> date:
            return _year_back(day)
    elif months:
        def back(day: date) -> date:
            return _months_back(day, months)
    else:
        def back(day: date) -> date:
            return day - timedelta(days=filters.days)
    start, end = back(filters.start), back(filters.end)
    if kind == "previous" and months and filters.end == _month_end(filters.end):
        end = _month_end(end)   # whole months: the whole earlier months
    as_of = filters.as_of
    if filters.as_of < filters.range_end:   # the current period is still running
        as_of = datetime.combine(back(filters.as_of.date()), filters.as_of.time())
        end = min(end, as_of.date())
    start = min(start, end)
    return filters.replace(start=start, end=end, as_of=as_of)
