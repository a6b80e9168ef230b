"""The demo's clock: seconds since the first day, and seasonal, weekly, daily rhythm.

Every moment the builder makes is an int64 number of seconds after 00:00 of
`start` (Beijing local time), so whole columns are numpy arrays until they
are written. The data ends at `snapshot`: 23:59:59 of the end day for a date, or
the moment itself for a datetime (the demo built at 03:15 is as of 03:15, and
nothing in it happens later than that).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from lib.db.schema import CATEGORIES
from lib.demo.vocabulary import CATEGORY_MIX, HOURS, SEASON, WEEKDAY

DAY = 86_400
HOUR = 3_600
YEARS = 3


@dataclass
class Timeline:
    start: date
    end: date
    days: int                 # number of days, both ends included
    base: np.datetime64       # start 00:00:00, in seconds
    snapshot: int             # the end moment (end 23:59:59 for a date): nothing happens after this
    day_weight: np.ndarray    # (categories, days), each row's max is 1
    hour_p: np.ndarray

    @classmethod
    def ending(cls, end: date | datetime) -> "Timeline":
        moment = end if isinstance(end, datetime) else None
        end = moment.date() if moment else end
        start = end - timedelta(days=365 * YEARS)
        days = (end - start).days + 1
        day_numbers = np.arange(days)
        first = np.datetime64(start, "D")
        months = (first + day_numbers).astype("datetime64[M]").astype(int) % 12
        weekdays = (start.weekday() + day_numbers) % 7
        season = np.array([SEASON[c] for c in CATEGORIES])[:, months]
        weight = season * np.array(WEEKDAY)[weekdays]
        weight /= weight.max(axis=1, keepdims=True)
        hour_p = np.array(HOURS) / sum(HOURS)
        snapshot = days * DAY - 1 if moment is None else (days - 1) * DAY + int(
            (moment - datetime.combine(end, datetime.min.time())).total_seconds())
        return cls(start, end, days, np.datetime64(start, "s"), snapshot, weight, hour_p)

    def by_the_end(self, seconds: np.ndarray) -> np.ndarray:
        """Moments later than the end moment moved back by whole days until they are not
        (a join at 20:33 on a last day that ends at 03:15 happened at 20:33 the day before)."""
        late = seconds > self.snapshot
        days_back = (seconds - self.snapshot - 1) // DAY + 1
        return np.where(late, seconds - days_back * DAY, seconds)

    def fraction(self, seconds: np.ndarray) -> np.ndarray:
        """How far into the three years (0 at the start, 1 at the end)."""
        return np.clip(seconds / (self.days * DAY), 0.0, 1.0)

    def hours(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Seconds into a day, with the daily rhythm of orders."""
        hour = rng.choice(24, size=n, p=self.hour_p)
        return hour * HOUR + rng.integers(0, HOUR, size=n)

    def moments(self, rng: np.random.Generator, low: np.ndarray, high: np.ndarray,
                category: np.ndarray) -> np.ndarray:
        """One moment in [low, high] each, by the category's season and the week and day."""
        n = len(low)
        first = np.clip(low // DAY, 0, self.days - 1)
        span = np.clip(high // DAY, 0, self.days - 1) - first + 1
        chosen = first.copy()
        todo = np.arange(n)
        for _ in range(25):  # rejection sampling; what is left after 25 rounds keeps its day
            if not len(todo):
                break
            day = first[todo] + (rng.random(len(todo)) * span[todo]).astype(np.int64)
            keep = rng.random(len(todo)) < self.day_weight[category[todo], day]
            chosen[todo] = day
            todo = todo[~keep]
        return np.clip(chosen * DAY + self.hours(rng, n), low, high)

    def overall_day_weight(self) -> np.ndarray:
        mix = np.array(CATEGORY_MIX)
        return mix @ self.day_weight
