"""E-commerce reviews, trade-in requests and their coupons for the demo."""
from __future__ import annotations

import random

import numpy as np

from lib.db.schema import CATEGORIES
from lib.demo import vocabulary as v
from lib.demo.bulk import stamps
from lib.demo.people import Members
from lib.demo.timeline import DAY, HOUR, Timeline

OLD_BRANDS = tuple(name for name, _, _ in v.BRANDS) + ("格兰仕", "志高", "科龙", "新飞", "小天鹅",
                                                       "容声", "长虹", "TCL", "春兰", "美菱")
PRICE_BAND_MIX = {  # category -> shares of below 1000, 1000-2999, 3000 and up
    "air_conditioner": (0.05, 0.45, 0.5), "water_purifier": (0.3, 0.5, 0.2),
    "range_hood": (0.2, 0.5, 0.3), "washing_machine": (0.25, 0.5, 0.25),
    "refrigerator": (0.1, 0.45, 0.45), "water_heater": (0.3, 0.55, 0.15),
    "gas_stove": (0.45, 0.45, 0.1),
}
COUPON_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def review_text(prng: random.Random, stars: int, category: str) -> str:
    """Complaints by cause for low stars, praise (some of it negated causes) for high, both for 3."""
    causes = [c for c in v.REVIEW_COMPLAINTS
              if category == "water_purifier" or c not in v.WATER_ONLY_CAUSES]
    complaints = [prng.choice(v.REVIEW_COMPLAINTS[c]) for c in prng.sample(causes, 2)]
    praises = prng.sample(v.REVIEW_PRAISES + v.CATEGORY_PRAISES.get(category, ()), 2)
    if stars <= 2:
        parts = complaints[: prng.choice((1, 2))]
        if prng.random() < 0.2:
            parts.append("差评")
    elif stars == 3:
        parts = [praises[0], "但是" + complaints[0]]
    elif stars == 4 and prng.random() < 0.3:
        parts = [praises[0], "就是" + complaints[0]]
    else:
        parts = praises[: prng.choice((1, 2))]
    return "，".join(parts) + "。"


def make_reviews(rng: np.random.Generator, prng: random.Random, timeline: Timeline,
                 count: int) -> list[tuple]:
    growth = 0.45 + timeline.fraction(np.arange(timeline.days) * DAY)
    day_p = growth * timeline.overall_day_weight()
    day = np.sort(rng.choice(timeline.days, size=count, p=day_p / day_p.sum()))
    created = timeline.by_the_end(day * DAY + timeline.hours(rng, count))
    stars = rng.choice([1, 2, 3, 4, 5], size=count, p=[0.15, 0.08, 0.1, 0.2, 0.47])
    brand = rng.integers(0, len(v.BRANDS), count)
    rows = []
    created_text = stamps(created, timeline.base)
    for i in range(count):
        name, _, categories = v.BRANDS[brand[i]]
        category = prng.choice(categories)
        band = prng.choices(v.PRICE_BANDS, weights=PRICE_BAND_MIX[category])[0]
        rows.append((i + 1, prng.choice(v.PLATFORMS), int(brand[i]) + 1, category, band,
                     int(stars[i]), review_text(prng, int(stars[i]), category),
                     created_text[i]))
    return rows


def make_trade_ins(rng: np.random.Generator, prng: random.Random, timeline: Timeline,
                   members: Members, count: int) -> tuple[list, list]:
    """Trade-in requests (recent ones mostly pending) and a coupon for each one given a coupon."""
    snapshot = timeline.snapshot
    member = np.sort(rng.choice(len(members.joined), size=count, replace=False)) if count <= len(
        members.joined) else rng.integers(0, len(members.joined), count)
    low = members.joined[member]
    high = np.minimum(members.left[member], snapshot)
    reported = low + (rng.random(count) * (high - low)).astype(np.int64)
    age = np.clip(np.round(rng.normal(8, 4, count)), 1, 20).astype(int)
    condition = np.where(rng.random(count) < 0.55, "working", "broken")
    # Marketing works its queue: most requests of the last weeks are pending,
    # older ones were all decided: nothing waits for years (a straggler at most ~2 months).
    recent = reported > snapshot - 45 * DAY
    straggling = ~recent & (reported > snapshot - 60 * DAY)
    status = np.where(recent & (rng.random(count) < 0.9), 0,
                      rng.choice([1, 2], size=count, p=[0.72, 0.28]))
    status = np.where(straggling & (rng.random(count) < 0.3), 0, status)
    issued = (reported // DAY + rng.integers(1, 8, count)) * DAY + rng.integers(9 * HOUR, 18 * HOUR, count)
    issued = np.minimum(issued, snapshot - 60)
    status = np.where((status == 1) & (issued <= reported), 0, status)
    category = rng.choice(len(CATEGORIES), size=count, p=v.CATEGORY_MIX)
    requests = list(zip(range(1, count + 1), (member + 1).tolist(),
                        np.array(CATEGORIES)[category].tolist(),
                        [prng.choice(OLD_BRANDS) for _ in range(count)], age.tolist(),
                        condition.tolist(), stamps(reported, timeline.base),
                        np.array(["pending", "coupon_issued", "rejected"])[status].tolist()))
    given = np.flatnonzero(status == 1)
    k = len(given)
    expires = issued[given] + 90 * DAY
    redeemed_at = issued[given] + (rng.random(k) * 80 * DAY).astype(np.int64)
    redeemed = (rng.random(k) < 0.4) & (redeemed_at <= snapshot)
    void = ~redeemed & (rng.random(k) < 0.03)
    coupon_status = np.where(redeemed, "redeemed", np.where(
        void, "void", np.where(expires < snapshot, "expired", "issued")))
    value = rng.choice([10000, 20000, 30000, 50000], size=k, p=[0.35, 0.35, 0.2, 0.1])
    codes: list[str] = []
    seen: set[str] = set()
    while len(codes) < k:
        code = "TI" + "".join(prng.choice(COUPON_ALPHABET) for _ in range(8))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    coupons = list(zip(range(1, k + 1), codes, (member[given] + 1).tolist(), (given + 1).tolist(),
                       value.tolist(), stamps(issued[given], timeline.base),
                       ["marketing_demo"] * k, stamps(expires, timeline.base),
                       stamps(redeemed_at, timeline.base, ~redeemed), coupon_status.tolist()))
    return requests, coupons

