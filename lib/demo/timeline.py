"""The demo's clock: seconds since the first day, and seasonal, weekly, daily rhythm.

Every moment the builder makes is an int64 number of seconds after 00:00 of
`start` (Beijing local time), so whole columns are numpy arrays until they
are written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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
    snapshot: int             # end 23:59:59: nothing happens after this
    day_weight: np.ndarray    # (categories, days), each row's max is 1
    hour_p: np.ndarray

    @classmethod
    def ending(cls, end: date) -> "Timeline":
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
        return cls(start, end, days, np.datetime64(start, "s"), days * DAY - 1, weight, hour_p)

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
