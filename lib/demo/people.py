"""Places and people of the demo: cities, brands, communities, members, their
appliances, engineers and their certifications, as numpy columns.

Each `make_*` returns a small dataclass of arrays (what later steps need) and
the row tuples to write. Ids are positions + 1: the tables start empty.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import numpy as np

from lib.db.schema import CATEGORIES
from lib.demo import vocabulary as v
from lib.demo.bulk import LazyRows, dates, stamps
from lib.demo.identity import id_card_number, mobile_number
from lib.demo.timeline import DAY, Timeline

NEVER = np.iinfo(np.int64).max // 4
SLA_WAVE_DAYS = {0: 365 * 3 - 912, 1: 365 * 3 - 640, 2: 365 * 3 - 365, 3: 365 * 3 - 180}
CAT = {name: i for i, name in enumerate(CATEGORIES)}


def chinese_names(rng: np.random.Generator, n: int) -> list[str]:
    surnames = np.array(v.SURNAMES)[rng.integers(0, len(v.SURNAMES), n)]
    first = np.array(v.GIVEN)[rng.integers(0, len(v.GIVEN), n)]
    second = np.array(v.GIVEN)[rng.integers(0, len(v.GIVEN), n)]
    two = rng.random(n) < 0.7
    return [s + a + (b if t else "") for s, a, b, t in zip(surnames, first, second, two)]


# -- reference data ---------------------------------------------------------
@dataclass
class Cities:
    weight: np.ndarray
    sla_day: np.ndarray       # day number the city joined the 24-hour promise; NEVER if not
    rows: list


def make_cities(timeline: Timeline) -> Cities:
    sla = np.array([SLA_WAVE_DAYS.get(c.sla_wave, NEVER) for c in v.CITIES], dtype=np.int64)
    sla_dates = dates(np.where(sla == NEVER, 0, sla), timeline.base, sla == NEVER)
    rows = [(i + 1, c.name, c.province, c.lat, c.lon, sla_dates[i])
            for i, c in enumerate(v.CITIES)]
    weight = np.array([c.weight for c in v.CITIES])
    return Cities(weight / weight.sum(), sla, rows)


@dataclass
class Brands:
    partner: np.ndarray
    by_category: list         # per (category, is_partner): array of brand indexes
    rows: list


def make_brands() -> Brands:
    partner = np.array([p for _, p, _ in v.BRANDS])
    by_category = [[np.array([b for b, (_, p, cats) in enumerate(v.BRANDS)
                              if name in cats and p == want]) for want in (False, True)]
                   for name in CATEGORIES]
    rows = [(i + 1, name, bool(p)) for i, (name, p, _) in enumerate(v.BRANDS)]
    return Brands(partner, by_category, rows)


@dataclass
class Communities:
    city: np.ndarray
    weight: np.ndarray        # share of members
    rows: list


def make_communities(rng: np.random.Generator, prng: random.Random, cities: Cities,
                     orders: int) -> Communities:
    scale = min(1.0, orders / 200_000)
    relative = cities.weight / cities.weight.max()
    counts = np.maximum(5, np.round((20 + 40 * relative) * scale)).astype(int)
    rows, city_of, households = [], [], []
    for c, (city, count) in enumerate(zip(v.CITIES, counts)):
        beilun = int(round(count * 0.35)) if city.name == "宁波" else 0
        names: set[str] = set()
        for k in range(count):
            in_beilun = k < beilun
            while True:
                head = prng.choice(v.BEILUN_PLACES if in_beilun else v.COMMUNITY_HEADS)
                name = head + prng.choice(v.COMMUNITY_MIDS) + prng.choice(v.COMMUNITY_TAILS)
                if name not in names:
                    names.add(name)
                    break
            centre, radius = (v.BEILUN, 5.0) if in_beilun else ((city.lat, city.lon), 15.0)
            r = radius * np.sqrt(rng.random()) * 0.95
            angle = rng.random() * 2 * np.pi
            lat = centre[0] + r * np.sin(angle) / 111.0
            lon = centre[1] + r * np.cos(angle) / (111.0 * np.cos(np.radians(centre[0])))
            size = int(np.clip(rng.lognormal(np.log(1200), 0.7), 200, 5000))
            rows.append((len(rows) + 1, c + 1, name, round(float(lat), 5), round(float(lon), 5),
                         size))
            city_of.append(c)
            households.append(size)
    city_of, households = np.array(city_of), np.array(households, dtype=float)
    in_city = np.bincount(city_of, weights=households)
    weight = cities.weight[city_of] * households / in_city[city_of]
    return Communities(city_of, weight / weight.sum(), rows)


# -- members and their appliances -------------------------------------------
@dataclass
class Members:
    community: np.ndarray
    joined: np.ndarray
    left: np.ndarray          # NEVER while still a member
    rows: LazyRows


def make_members(rng: np.random.Generator, prng: random.Random, timeline: Timeline,
                 communities: Communities, count: int) -> Members:
    # Growing by word of mouth, after a launch that brought the existing customers over.
    days = np.arange(timeline.days)
    growth = 0.7 + 0.6 * timeline.fraction(days * DAY) + np.where(days < 60, 3.0, 0.0)
    day_p = growth * timeline.overall_day_weight()
    day = rng.choice(timeline.days, size=count, p=day_p / day_p.sum())
    joined = np.sort(timeline.by_the_end(day * DAY + timeline.hours(rng, count)))
    community = rng.choice(len(communities.city), size=count, p=communities.weight)
    stay = timeline.snapshot - joined
    leaves = (rng.random(count) < 0.13) & (stay > 40 * DAY)
    left = np.where(leaves, joined + 30 * DAY + (rng.random(count) * (stay - 31 * DAY)).astype(np.int64),
                    NEVER)
    channel = np.array(["wechat", "app", "store", "phone"])[
        rng.choice(4, size=count, p=[0.52, 0.25, 0.15, 0.08])]
    names = chinese_names(rng, count)
    phones = [mobile_number(prng) for _ in range(count)]
    def rows(lo: int, hi: int) -> list:
        gone = left[lo:hi] == NEVER
        return list(zip(range(lo + 1, hi + 1), names[lo:hi], phones[lo:hi],
                        (community[lo:hi] + 1).tolist(), channel[lo:hi].tolist(),
                        stamps(joined[lo:hi], timeline.base),
                        stamps(np.where(gone, 0, left[lo:hi]), timeline.base, gone)))
    return Members(community, joined, left, LazyRows(count, rows))


@dataclass
class Appliances:
    member: np.ndarray
    category: np.ndarray
    brand: np.ndarray
    purchased: np.ndarray
    warranty_day: np.ndarray  # last day covered (day number); -NEVER when none
    install_at: np.ndarray    # created_at of its install order; -1 for old machines
    source: np.ndarray        # 0 own_sales, 1 partner_brand (installs only)
    rows: LazyRows


STANDARD_YEARS = np.array([6, 3, 3, 2, 2, 3, 2])  # by category; air conditioners: 6-year warranty


def make_appliances(rng: np.random.Generator, timeline: Timeline, members: Members,
                    brands: Brands) -> Appliances:
    per_member = rng.choice([1, 2, 3], size=len(members.joined), p=[0.35, 0.4, 0.25])
    member = np.repeat(np.arange(len(per_member)), per_member)
    n = len(member)
    first = np.ones(n, dtype=bool)
    first[1:] = member[1:] != member[:-1]
    joined, active_until = members.joined[member], np.minimum(members.left[member], timeline.snapshot)
    mix = np.array(v.CATEGORY_MIX)
    # The first machine is what the member joined for: its category follows the season.
    join_day = np.clip(joined // DAY, 0, timeline.days - 1)
    seasonal = mix[:, None] * timeline.day_weight[:, join_day]
    u = rng.random(n)
    first_cat = (u[:, None] > np.cumsum(seasonal / seasonal.sum(axis=0), axis=0).T).sum(axis=1)
    category = np.where(first, np.minimum(first_cat, 6), rng.choice(7, size=n, p=mix))
    later_low = joined + 7 * DAY
    # Members of the launch weeks were existing customers: mostly machines they already had.
    first_new = np.where(joined < 60 * DAY, 0.2, 0.85)
    new = np.where(first, rng.random(n) < first_new, (rng.random(n) < 0.7) & (later_low < active_until))
    install_at = np.full(n, -1, dtype=np.int64)
    install_at[first & new] = joined[first & new]
    later = new & ~first
    install_at[later] = timeline.moments(rng, later_low[later], active_until[later], category[later])
    purchased = np.where(new, install_at - rng.integers(600, 3 * DAY, n),
                         joined - rng.integers(365, 12 * 365, n) * DAY + timeline.hours(rng, n))
    own_share = 0.6 - 0.4 * timeline.fraction(install_at)
    source = np.where(new & (rng.random(n) >= own_share), 1, 0)
    brand = np.empty(n, dtype=np.int64)
    pick = rng.random(n)
    for c in range(7):
        for partner in (0, 1):
            choices = brands.by_category[c][partner]
            mask = (category == c) & (source == partner) & new
            brand[mask] = choices[(pick[mask] * len(choices)).astype(int)]
        both = np.concatenate(brands.by_category[c])
        mask = (category == c) & ~new
        brand[mask] = both[(pick[mask] * len(both)).astype(int)]
    # New machines: standard or extended warranty; old ones: none or the full warranty.
    kind = np.where(new, rng.choice([0, 1, 2], size=n, p=[0.05, 0.6, 0.35]),
                    rng.choice([0, 1, 3], size=n, p=[0.6, 0.05, 0.35]))
    purchase_day = purchased // DAY
    years = STANDARD_YEARS[category] + np.where(kind == 2, rng.integers(2, 4, n), 0)
    until = np.where(kind == 3, joined // DAY + rng.integers(1, 3, n) * 365,
                     purchase_day + years * 365)
    until = np.where(kind == 0, -NEVER, until)
    warranty = np.array(["none", "standard", "extended", "full"])[kind]
    def rows(lo: int, hi: int) -> list:
        none = kind[lo:hi] == 0
        return list(zip(range(lo + 1, hi + 1), (member[lo:hi] + 1).tolist(),
                        np.array(CATEGORIES)[category[lo:hi]].tolist(), (brand[lo:hi] + 1).tolist(),
                        stamps(purchased[lo:hi], timeline.base), warranty[lo:hi].tolist(),
                        dates(np.where(none, 0, until[lo:hi]), timeline.base, none)))
    return Appliances(member, category, brand, purchased, until, install_at, source,
                      LazyRows(n, rows))


# -- engineers --------------------------------------------------------------
@dataclass
class Engineers:
    city: np.ndarray
    start: np.ndarray         # first moment they take orders (certified)
    until: np.ndarray         # suspended from then on; NEVER otherwise
    mean_stars: np.ndarray
    city_first: np.ndarray    # per city: index of its first engineer
    city_count: np.ndarray
    rows: list
    certification_rows: list


def make_engineers(rng: np.random.Generator, prng: random.Random, timeline: Timeline,
                   cities: Cities, orders: int) -> Engineers:
    counts = np.maximum(3, np.round(orders / 500 * cities.weight)).astype(int)
    city = np.repeat(np.arange(len(counts)), counts)
    n = len(city)
    city_first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    core = np.arange(n) - city_first[city] < 2  # two veterans per city, active from the start
    status = np.where(core, 0, rng.choice(3, size=n, p=[0.8, 0.13, 0.07]))
    extras = np.flatnonzero(~core)
    for want, at_least in ((1, 4), (2, 2)):  # some applicants and suspensions even at small N
        short = at_least - (status == want).sum()
        candidates = extras[status[extras] == 0]
        if short > 0:
            status[candidates[-short:]] = want
    snapshot = timeline.snapshot
    registered = np.where(
        core, -rng.integers(60, 400, n) * DAY,
        np.where(status == 1, snapshot - rng.integers(1, 45, n) * DAY,
                 rng.integers(-365 * DAY, snapshot - 30 * DAY, n)))
    registered = registered // DAY * DAY + rng.integers(8 * 3600, 18 * 3600, n)  # office hours
    start = np.where(status == 1, NEVER, registered + rng.integers(7, 22, n) * DAY)
    room = np.maximum(0, snapshot - 5 * DAY - (start + 60 * DAY))
    suspended_at = np.minimum(start + 60 * DAY + (rng.random(n) * room).astype(np.int64),
                              snapshot - 5 * DAY)
    until = np.where(status == 2, suspended_at, NEVER)
    # A mix of excellent to poor engineers, so star levels spread from 1 to 5.
    tier = rng.choice(5, size=n, p=[0.35, 0.3, 0.2, 0.1, 0.05])
    mean_stars = np.array([4.92, 4.68, 4.35, 3.7, 2.7])[tier] + rng.normal(0, 0.05, n)
    names = chinese_names(rng, n)
    registered_text = stamps(registered, timeline.base)
    rows = []
    for i in range(n):
        c = v.CITIES[city[i]]
        born = date(timeline.start.year - int(rng.integers(22, 52)), int(rng.integers(1, 13)),
                    int(rng.integers(1, 29)))
        year = (timeline.base + np.timedelta64(int(registered[i]), "s")).astype(object).year
        rows.append((i + 1, names[i], mobile_number(prng), int(city[i]) + 1,
                     id_card_number(prng, prng.choice(c.region_codes), born),
                     f"AZ{year}{i + 1:06d}", registered_text[i],
                     ("active", "applicant", "suspended")[status[i]]))
    certifications = _certifications(rng, timeline, status, registered, start, until)
    return Engineers(city, start, until, mean_stars, city_first, counts, rows, certifications)


def _certifications(rng, timeline: Timeline, status, registered, start, until) -> list:
    """Approved papers for working engineers, pending and decided applications."""
    base, snapshot = timeline.base, timeline.snapshot
    out: list[tuple] = []

    def add(engineer, category, score, taken, id_ok, card_ok, state, applied, reviewed, note):
        out.append([engineer + 1, CATEGORIES[category], score, taken, id_ok, card_ok, state,
                    applied, reviewed, "hr_demo" if reviewed is not None else None, note])

    for e in range(len(status)):
        applied = int(registered[e] + rng.integers(3600, 2 * DAY))
        categories = rng.choice(7, size=3, replace=False, p=v.CATEGORY_MIX)
        if status[e] == 1:  # applicant: pending, in one of several states
            kind = e % 5
            score = None if kind == 4 else int(rng.integers(35, 60) if kind == 0 else rng.integers(62, 99))
            taken = None if score is None else min(applied + int(rng.integers(DAY, 4 * DAY)), snapshot - 60)
            add(e, categories[0], score, taken, kind != 1, kind != 2, "pending", applied, None, None)
            continue
        for k in range(int(rng.integers(1, 4))):
            taken = applied + int(rng.integers(DAY, 4 * DAY))
            add(e, categories[k], int(np.clip(rng.normal(84, 8), 60, 100)), taken, True, True,
                "approved", applied, int(start[e]) - int(rng.integers(600, 3 * 3600)),
                "资料齐全，考试通过")
        if status[e] == 2:
            out[-1][6] = "revoked"
            out[-1][8] = int(until[e])
            out[-1][10] = "多次差评投诉，撤销资格"
        roll = rng.random()
        if roll < 0.12:  # an earlier failed attempt
            score = int(rng.integers(30, 60))
            add(e, categories[0], score, applied - 10 * DAY, True, True, "rejected",
                applied - 12 * DAY, applied - 8 * DAY, f"考试未通过（{score}分），可补考")
        elif roll < 0.16:
            add(e, categories[0], 75, applied - 10 * DAY, False, True, "rejected",
                applied - 12 * DAY, applied - 8 * DAY, "身份证照片不清晰，请重新上传")
        elif roll < 0.3 and status[e] == 0:  # applying for one more category now
            recent = snapshot - int(rng.integers(DAY, 30 * DAY))
            score = int(rng.integers(40, 98)) if rng.random() < 0.8 else None
            add(e, categories[2], score, None if score is None else recent + 3600,
                rng.random() > 0.1, rng.random() > 0.15, "pending", recent, None, None)
    when = (3, 7, 8)  # the moments among the columns
    rows = []
    columns = list(zip(*out))
    converted = {}
    for i in when:
        values = np.array([x if x is not None else 0 for x in columns[i]], dtype=np.int64)
        missing = np.array([x is None for x in columns[i]])
        converted[i] = stamps(values, base, missing)
    for j, row in enumerate(out):
        for i in when:
            row[i] = converted[i][j]
        rows.append((j + 1, *row))
    return rows
