"""Settings of the console's commands, with their defaults.

Each can be overridden in `.streamlit/secrets.toml` under `[commands]`
(same names; the coupon rule table under `[commands.coupon_base_fen]`,
`[commands.coupon_condition_factors]` and `commands.coupon_age_bands`, a list of
`[max_age_years_or_-1, factor]` pairs). Unknown or ill-typed entries are
ignored, so a typo falls back to the default rather than stopping the console.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Mapping

from lib import config
from lib.db.schema import CATEGORIES

DEFAULT_COUPON_BASE_FEN = MappingProxyType({
    "air_conditioner": 30_000, "refrigerator": 30_000, "washing_machine": 20_000,
    "water_purifier": 20_000, "range_hood": 20_000, "water_heater": 15_000, "gas_stove": 10_000,
})
# (oldest age in whole years the band covers, or None for "and older"; factor)
DEFAULT_COUPON_AGE_BANDS: tuple[tuple[int | None, float], ...] = ((3, 1.0), (7, 0.75), (None, 0.5))
DEFAULT_COUPON_CONDITION_FACTORS = MappingProxyType({"working": 1.0, "broken": 0.6})


@dataclass(frozen=True)
class CommandSettings:
    # certifications
    pass_mark: int = 60
    batch_max: int = 200
    # trade-in coupons (money in fen)
    coupon_validity_days: int = 90
    coupon_adjust_fraction: float = 0.5        # marketing may move a value ±50% of the rule value
    coupon_min_fen: int = 1_000                # ... but never below 10 CNY
    coupon_max_fen: int = 300_000              # ... nor above 3,000 CNY
    coupon_round_fen: int = 100                # rule values are whole yuan
    coupon_base_fen: Mapping[str, int] = field(default_factory=lambda: DEFAULT_COUPON_BASE_FEN)
    coupon_age_bands: tuple[tuple[int | None, float], ...] = DEFAULT_COUPON_AGE_BANDS
    coupon_condition_factors: Mapping[str, float] = field(
        default_factory=lambda: DEFAULT_COUPON_CONDITION_FACTORS)
    export_max_rows: int = 5_000
    # free-repair days
    event_max_capacity: int = 500
    event_max_engineers: int = 30
    event_max_days_ahead: int = 365
    # lists on the admin pages
    list_max_rows: int = 500

    def coupon_rule_fen(self, category: str, age_years: int, condition: str) -> int:
        """The rule table's coupon value for one old appliance, in fen."""
        base = self.coupon_base_fen.get(category, min(self.coupon_base_fen.values()))
        factor = self.coupon_condition_factors.get(condition, min(self.coupon_condition_factors.values()))
        raw = base * self.age_factor(age_years) * factor
        value = round(raw / self.coupon_round_fen) * self.coupon_round_fen
        return max(self.coupon_min_fen, min(self.coupon_max_fen, value))

    def age_factor(self, age_years: int) -> float:
        for oldest, factor in self.coupon_age_bands:
            if oldest is None or age_years <= oldest:
                return factor
        return self.coupon_age_bands[-1][1]

    def coupon_bounds_fen(self, rule_fen: int) -> tuple[int, int]:
        """The values marketing may choose for a request whose rule value is `rule_fen`."""
        step = self.coupon_round_fen          # whole yuan: both bounds on the step
        low = max(self.coupon_min_fen, math.ceil(rule_fen * (1 - self.coupon_adjust_fraction)))
        high = min(self.coupon_max_fen, math.floor(rule_fen * (1 + self.coupon_adjust_fraction)))
        low, high = -(-low // step) * step, high // step * step
        return low, max(low, high)

    def coupon_rule_table(self) -> list[dict]:
        """The whole rule table, one row per category, age band and condition (for the page)."""
        rows, youngest = [], 0
        for oldest, _factor in self.coupon_age_bands:
            for category in CATEGORIES:
                for condition in self.coupon_condition_factors:
                    rule = self.coupon_rule_fen(category, youngest, condition)
                    low, high = self.coupon_bounds_fen(rule)
                    rows.append({"category": category, "age_from": youngest, "age_to": oldest,
                                 "condition": condition, "value_fen": rule,
                                 "min_fen": low, "max_fen": high})
            youngest = (oldest + 1) if oldest is not None else youngest
        return rows


DEFAULTS = CommandSettings()


def load_settings() -> CommandSettings:
    """The defaults, overridden by `[commands]` in the secrets file where well-typed."""
    section = config.secrets().get("commands", {})
    if not isinstance(section, dict):
        return DEFAULTS
    changes: dict = {}
    for item in fields(CommandSettings):
        if item.name not in section:
            continue
        value, default = section[item.name], getattr(DEFAULTS, item.name)
        if isinstance(default, bool) or isinstance(value, bool):
            continue
        if isinstance(default, int) and isinstance(value, int) and value > 0:
            changes[item.name] = value
        elif isinstance(default, float) and isinstance(value, (int, float)) and 0 <= value <= 1:
            changes[item.name] = float(value)
        elif isinstance(default, Mapping) and isinstance(value, dict) and value and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in value.values()):
            changes[item.name] = MappingProxyType({**default, **value})
        elif item.name == "coupon_age_bands" and _age_bands(value):
            changes[item.name] = _age_bands(value)
    return replace(DEFAULTS, **changes)


def _age_bands(value) -> tuple | None:
    try:
        bands = tuple((None if int(a) < 0 else int(a), float(f)) for a, f in value)
    except (TypeError, ValueError):
        return None
    return bands if bands and bands[-1][0] is None else None
