"""Service orders of the demo: when and what (`plan_orders`), then how each went
(`order_rows`: dispatch, arrival, completion, fees, ratings, parts), chunk by chunk.

Installs come from the appliances (one per new machine, when it was bought);
other services are drawn per appliance in proportion to how long it has been
a member's; free-repair-day orders come from the events. All are sorted by
`created_at`, so ids grow with time as on the real platform.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.db.schema import CATEGORIES, ORDER_CHANNELS, SERVICE_TYPES, SOURCES
from lib.demo import vocabulary as v
from lib.demo.bulk import stamps
from lib.demo.people import Appliances, Cities, Communities, Engineers, Members
from lib.demo.timeline import DAY, HOUR, Timeline

MINUTE = 60
INSTALL, REPAIR, CLEANING, MAINTENANCE, INSPECTION, FILTER_CHANGE = range(6)
OWN, PARTNER, MEMBER_REQUEST, FREE_REPAIR_DAY = range(4)
# Non-install services by category: repair, cleaning, maintenance, inspection, filter_change.
SERVICE_MIX = np.array([
    [0.30, 0.40, 0.15, 0.15, 0.00],  # air_conditioner
    [0.20, 0.00, 0.15, 0.10, 0.55],  # water_purifier
    [0.30, 0.50, 0.10, 0.10, 0.00],  # range_hood
    [0.45, 0.40, 0.10, 0.05, 0.00],  # washing_machine
    [0.60, 0.00, 0.20, 0.20, 0.00],  # refrigerator
    [0.40, 0.10, 0.30, 0.20, 0.00],  # water_heater
    [0.40, 0.00, 0.15, 0.45, 0.00],  # gas_stove
])
SERVICE_RATE = np.array([1.2, 1.6, 0.8, 0.6, 0.5, 0.7, 0.5])
CHANNEL_MIX = np.array([  # wechat, app, phone, store, ecommerce, by source
    [0.30, 0.15, 0.05, 0.40, 0.10],
    [0.20, 0.10, 0.10, 0.00, 0.60],
    [0.50, 0.25, 0.20, 0.05, 0.00],
    [0.60, 0.10, 0.00, 0.30, 0.00],
])
ON_SITE_MINUTES = np.array([[40, 150], [30, 120], [50, 120], [30, 90], [20, 50], [15, 40]])
PAYOUT_YUAN = np.array([[80, 150], [80, 200], [60, 120], [60, 120], [30, 60], [30, 60]])
INSTALL_PAYOUT_YUAN = np.array([[150, 200], [60, 100], [100, 150], [80, 120], [80, 120],
                                [100, 150], [80, 120]])
FEE_YUAN = np.array([[30, 150], [50, 300], [80, 200], [50, 150], [30, 50], [80, 400]])


@dataclass
class Plan:
    """Every order's skeleton, sorted by created_at."""
    appliance: np.ndarray
    created: np.ndarray
    service_type: np.ndarray
    source: np.ndarray
    free_day: np.ndarray      # free_repair_days id, 0 for none
    engineer: np.ndarray      # pre-assigned engineer index (free repair days), -1 otherwise
    free_day_rows: list
    free_day_engineer_rows: list

    def __len__(self) -> int:
        return len(self.created)


def plan_orders(rng, timeline: Timeline, members: Members, appliances: Appliances,
                communities: Communities, engineers: Engineers, total: int) -> Plan:
    installs = np.flatnonzero(appliances.install_at >= 0)
    days = _plan_free_days(rng, timeline, members, appliances, communities, engineers, total)
    free_app, free_created, free_type, free_id, free_eng, day_rows, day_eng_rows = days
    installs = installs[: max(0, total - len(free_app))]
    services = total - len(installs) - len(free_app)
    owner = appliances.member
    left = np.minimum(members.left[owner], timeline.snapshot)
    start = np.where(appliances.install_at >= 0, appliances.install_at, members.joined[owner] + DAY)
    start = start + 14 * DAY
    weight = SERVICE_RATE[appliances.category] * np.maximum(0, left - start)
    app = rng.choice(len(owner), size=services, p=weight / weight.sum())
    category = appliances.category[app]
    created = timeline.moments(rng, start[app], left[app], category)
    cumulative = np.cumsum(SERVICE_MIX[category], axis=1)
    kind = 1 + (rng.random(services)[:, None] > cumulative).sum(axis=1)
    kind = np.minimum(kind, FILTER_CHANGE)
    # Partner brands hand over part of their repairs too.
    partner_repair = (kind == REPAIR) & (appliances.source[app] == PARTNER) & (rng.random(services) < 0.4)
    source = np.where(partner_repair, PARTNER, MEMBER_REQUEST)
    # The last day always has orders, so "today" views show something.
    last_day = timeline.days - 1
    short = 3 - int((created // DAY == last_day).sum()) - int(
        (appliances.install_at[installs] // DAY == last_day).sum())
    if short > 0:
        candidates = np.flatnonzero(left[app] >= timeline.snapshot)[:short]
        elapsed = timeline.snapshot - last_day * DAY + 1   # the last day may end early (built at 03:15)
        at = np.array([9 * HOUR + 1234, 14 * HOUR + 321, 19 * HOUR + 2020])[: len(candidates)]
        created[candidates] = last_day * DAY + (at * min(1.0, elapsed / DAY)).astype(np.int64)
    all_app = np.concatenate([installs, app, free_app])
    all_created = np.concatenate([appliances.install_at[installs], created, free_created])
    order = np.argsort(all_created, kind="stable")
    n_install, n_free = len(installs), len(free_app)
    return Plan(
        appliance=all_app[order],
        created=all_created[order],
        service_type=np.concatenate([np.zeros(n_install, np.int64), kind, free_type])[order],
        source=np.concatenate([appliances.source[installs], source,
                               np.full(n_free, FREE_REPAIR_DAY)])[order],
        free_day=np.concatenate([np.zeros(n_install + services, np.int64), free_id])[order],
        engineer=np.concatenate([np.full(n_install + services, -1), free_eng])[order],
        free_day_rows=day_rows, free_day_engineer_rows=day_eng_rows)


def _plan_free_days(rng, timeline, members, appliances, communities, engineers, total):
    """Free repair days: done ones with their orders, planned ones ahead, a few cancelled."""
    n_done = max(4, round(total / 2500))
    n_planned = max(3, round(n_done / 20))
    n_cancelled = max(2, round(n_done / 25))
    per_day_cap = max(3, int(0.04 * total / n_done))
    status = ["done"] * n_done + ["planned"] * n_planned + ["cancelled"] * n_cancelled
    D = timeline.days
    day = np.concatenate([np.sort(rng.integers(30, D - 3, n_done)),
                          rng.integers(D + 2, D + 45, n_planned),
                          rng.integers(D - 150, D + 30, n_cancelled)])
    residents = np.bincount(members.community, minlength=len(communities.city)).astype(float)
    community = rng.choice(len(residents), size=len(status), p=residents / residents.sum())
    member_order = np.argsort(members.community, kind="stable")
    member_bounds = np.searchsorted(members.community[member_order], np.arange(len(residents) + 1))
    app_first = np.searchsorted(appliances.member, np.arange(len(members.joined) + 1))
    services_pool = np.array(v.FREE_REPAIR_SERVICES)
    day_rows, day_eng_rows = [], []
    out_app, out_created, out_type, out_id, out_eng = [], [], [], [], []
    for i, (state, d, comm) in enumerate(zip(status, day, community)):
        event_id = i + 1
        picked = np.sort(rng.choice(5, size=int(rng.integers(2, 5)), replace=False))
        services = services_pool[picked].tolist()
        capacity = int(rng.choice([20, 30, 40, 50, 60, 80]))
        created = min(int(d) * DAY - int(rng.integers(7, 30)) * DAY + int(rng.integers(9, 18)) * HOUR,
                      timeline.snapshot - HOUR)
        day_rows.append([event_id, int(comm) + 1, int(d), ",".join(services), capacity, state,
                         "marketing_demo", created])
        city = communities.city[comm]
        moment = min(int(d) * DAY + 9 * HOUR, timeline.snapshot)
        first, count = engineers.city_first[city], engineers.city_count[city]
        pool = np.arange(first, first + count)
        pool = pool[(engineers.start[pool] <= moment) & (engineers.until[pool] > moment)]
        crew = rng.choice(pool, size=min(len(pool), int(rng.integers(2, 5))), replace=False)
        day_eng_rows.extend((event_id, int(e) + 1) for e in np.sort(crew))
        if state != "done" or not len(crew):
            continue
        people = member_order[member_bounds[comm]:member_bounds[comm + 1]]
        people = people[(members.joined[people] < moment) & (members.left[people] > moment)]
        apps = np.concatenate([np.arange(app_first[p], app_first[p + 1]) for p in people]
                              ) if len(people) else np.array([], np.int64)
        apps = apps[appliances.purchased[apps] < moment - DAY].astype(np.int64)
        want = min(len(apps), per_day_cap, round(capacity * rng.uniform(0.4, 0.95)))
        apps = np.sort(rng.choice(apps, size=want, replace=False)) if want else apps[:0]
        cat = appliances.category[apps]
        kind = np.full(len(apps), INSPECTION)
        if "cleaning" in services:
            kind[np.isin(cat, [0, 2, 3])] = CLEANING
        if "filter_change" in services:
            kind[cat == 1] = FILTER_CHANGE
        out_app.append(apps)
        out_created.append(int(d) * DAY + 8 * HOUR + 30 * MINUTE + rng.integers(0, 7 * HOUR, len(apps)))
        out_type.append(kind)
        out_id.append(np.full(len(apps), event_id))
        out_eng.append(rng.choice(crew, size=len(apps)))
    base = timeline.base
    for row in day_rows:
        row[2] = str((base + np.timedelta64(row[2] * DAY, "s")).astype("datetime64[D]"))
        row[7] = stamps(np.array([row[7]]), base)[0]
    empty = np.array([], np.int64)
    return (np.concatenate(out_app or [empty]), np.concatenate(out_created or [empty]),
            np.concatenate(out_type or [empty]), np.concatenate(out_id or [empty]),
            np.concatenate(out_eng or [empty]), [tuple(r) for r in day_rows],
            [(i + 1, *pair) for i, pair in enumerate(day_eng_rows)])


# -- how each order went ----------------------------------------------------
def star_table() -> np.ndarray:
    """Cumulative probabilities of 1..5 stars for mean stars 1.00..5.00 (step 0.01).

    P(k stars) grows as exp(beta * k); beta is found by bisection for each mean.
    """
    means = np.linspace(1.0, 5.0, 401)[:, None]
    k = np.arange(1, 6)[None, :]
    low, high = np.full_like(means, -20.0), np.full_like(means, 20.0)
    for _ in range(60):
        beta = (low + high) / 2
        p = np.exp(beta * (k - 3))
        below = (p * k).sum(axis=1, keepdims=True) / p.sum(axis=1, keepdims=True) < means
        low, high = np.where(below, beta, low), np.where(below, high, beta)
    p = np.exp((low + high) / 2 * (k - 3))
    return np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)


@dataclass
class World:
    timeline: Timeline
    cities: Cities
    communities: Communities
    members: Members
    appliances: Appliances
    engineers: Engineers
    stars: np.ndarray


def pick_engineers(rng, engineers: Engineers, city: np.ndarray, moment: np.ndarray) -> np.ndarray:
    """A working engineer of the order's city at that moment (rejection, then a veteran)."""
    chosen = engineers.city_first[city] + (rng.random(len(city)) < 0.5)
    todo = np.arange(len(city))
    for _ in range(10):
        if not len(todo):
            break
        c = city[todo]
        candidate = engineers.city_first[c] + (rng.random(len(todo)) * engineers.city_count[c]).astype(np.int64)
        ok = (engineers.start[candidate] <= moment[todo]) & (engineers.until[candidate] > moment[todo])
        chosen[todo[ok]] = candidate[ok]
        todo = todo[~ok]
    return chosen


def _uniform(rng, low, high):
    return low + (rng.random(len(low)) * (high - low)).astype(np.int64)


def _working_hours(rng, moment):
    """Moves night-time completions to the next working morning (never earlier)."""
    in_day = moment % DAY
    early = in_day < 8 * HOUR + 30 * MINUTE
    moment = np.where(early, moment - in_day + 8 * HOUR + 30 * MINUTE + rng.integers(0, 2 * HOUR, len(moment)), moment)
    late = (moment % DAY) > 21 * HOUR
    return np.where(late, moment - moment % DAY + DAY + 9 * HOUR + rng.integers(0, 2 * HOUR, len(moment)), moment)


def order_rows(rng, world: World, plan: Plan, lo: int, hi: int, first_rating_id: int,
               first_part_id: int) -> tuple[list, list, list]:
    """Rows for service_orders lo..hi-1 of the plan, their ratings and parts used."""
    tl, apps = world.timeline, world.appliances
    app = plan.appliance[lo:hi]
    c = plan.created[lo:hi]
    kind = plan.service_type[lo:hi]
    source = plan.source[lo:hi]
    free = plan.free_day[lo:hi] > 0
    n = len(c)
    category = apps.category[app]
    member = apps.member[app]
    community = world.members.community[member]
    city = world.communities.city[community]
    day = c // DAY
    in_day = c - day * DAY
    install = kind == INSTALL
    eligible = install & (day >= world.cities.sla_day[city]) & ~free
    morning = in_day < 11 * HOUR
    due = (day + 1) * DAY + np.where(morning, 0, 12 * HOUR)
    improving = 1.3 - 0.6 * tl.fraction(c)
    breach = eligible & (rng.random(n) < np.where(morning, 0.045, 0.15) * improving)
    # Met, morning: the same day, in working hours.
    low = np.maximum(c + 2 * HOUR, day * DAY + 9 * HOUR)
    done_morning = _uniform(rng, low, np.maximum(low + 30 * MINUTE, day * DAY + 21 * HOUR + 30 * MINUTE))
    # Met, afternoon: mostly the next morning, some the same evening.
    same_evening = (in_day < 15 * HOUR) & (rng.random(n) < 0.3)
    next_morning = (day + 1) * DAY + 8 * HOUR + 30 * MINUTE + rng.integers(0, 3 * HOUR + 18 * MINUTE, n)
    evening = _uniform(rng, c + 2 * HOUR + 30 * MINUTE, np.maximum(c + 3 * HOUR, day * DAY + 21 * HOUR))
    done_afternoon = np.where(same_evening, evening, next_morning)
    late = _working_hours(rng, due + 30 * MINUTE + rng.integers(0, 26 * HOUR, n))
    other = _working_hours(rng, c + 3 * HOUR + np.minimum(rng.exponential(22 * HOUR, n), 6 * DAY).astype(np.int64))
    completed = np.where(eligible & ~breach, np.where(morning, done_morning, done_afternoon),
                         np.where(breach, late, other))
    completed = np.where(free, c + rng.integers(20 * MINUTE, 90 * MINUTE, n), completed)
    on_site = _uniform(rng, ON_SITE_MINUTES[kind, 0] * MINUTE, ON_SITE_MINUTES[kind, 1] * MINUTE)
    arrived = np.maximum(completed - on_site, c + 15 * MINUTE)
    completed = np.maximum(completed, arrived + 10 * MINUTE)
    wait = np.minimum(rng.lognormal(np.log(15 * MINUTE), 0.8, n).astype(np.int64), (arrived - c) * 6 // 10)
    dispatched = np.where(free, c + MINUTE, c + np.maximum(MINUTE, wait))
    # Cancellations: before the visit, rarely after it (a refund).
    cancelled = ~free & (rng.random(n) < 0.04)
    after = cancelled & (rng.random(n) < 0.06)
    cancelled_at = np.where(after, completed + rng.integers(HOUR, 3 * DAY, n),
                            c + ((arrived - c) * rng.uniform(0.05, 0.95, n)).astype(np.int64))
    visit_off = cancelled & ~after
    snapshot = tl.snapshot
    no_dispatch = (visit_off & (dispatched > cancelled_at)) | (dispatched > snapshot)
    no_arrival = visit_off | (arrived > snapshot) | no_dispatch
    no_completion = visit_off | (completed > snapshot) | no_arrival
    no_cancel = ~cancelled | (cancelled_at > snapshot)
    engineer = pick_engineers(rng, world.engineers, city, dispatched)
    engineer = np.where(plan.engineer[lo:hi] >= 0, plan.engineer[lo:hi], engineer)
    fee = _fees(rng, kind, source, category, app, day, apps, free | cancelled)
    payout_range = np.where(install[:, None], INSTALL_PAYOUT_YUAN[category], PAYOUT_YUAN[kind])
    payout = _uniform(rng, payout_range[:, 0], payout_range[:, 1]) // 5 * 500
    payout = np.where(free, 5000, np.where(cancelled, 0, payout))
    base = tl.base
    channel = (rng.random(n)[:, None] > np.cumsum(CHANNEL_MIX[source], axis=1)).sum(axis=1)
    ids = np.arange(lo + 1, hi + 1)
    rows = list(zip(
        ids.tolist(), (member + 1).tolist(), (app + 1).tolist(), (community + 1).tolist(),
        (apps.brand[app] + 1).tolist(), np.array(CATEGORIES)[category].tolist(),
        np.array(SERVICE_TYPES)[kind].tolist(), np.array(SOURCES)[source].tolist(),
        np.array(ORDER_CHANNELS)[np.minimum(channel, 4)].tolist(),
        stamps(c, base), stamps(dispatched, base, no_dispatch),
        [None if off else e for off, e in zip(no_dispatch.tolist(), (engineer + 1).tolist())],
        stamps(arrived, base, no_arrival), stamps(completed, base, no_completion),
        stamps(cancelled_at, base, no_cancel), fee.tolist(), payout.tolist(),
        [None if f == 0 else f for f in plan.free_day[lo:hi].tolist()]))
    done = ~no_completion & no_cancel
    slow = breach | (~install & (completed - c > 3 * DAY))
    ratings = _ratings(rng, world, ids, done, completed, engineer, slow, first_rating_id)
    parts = _parts(rng, ids, done, kind, category, first_part_id)
    return rows, ratings, parts


def _fees(rng, kind, source, category, app, day, apps, free_of_charge):
    n = len(kind)
    fee = _uniform(rng, FEE_YUAN[kind, 0], FEE_YUAN[kind, 1]) // 10 * 1000
    install_free = rng.random(n) < np.where(source == PARTNER, 0.9, 0.85)
    in_warranty = apps.warranty_day[app] >= day
    inspection_free = rng.random(n) < 0.6
    free = ((kind == INSTALL) & install_free) | ((kind == REPAIR) & in_warranty) | (
        (kind == INSPECTION) & inspection_free) | free_of_charge
    return np.where(free, 0, fee)


def _ratings(rng, world, ids, done, completed, engineer, slow, next_id):
    rated = done & (rng.random(len(ids)) < 0.66)
    rated_at = completed + 10 * MINUTE + np.minimum(rng.exponential(16 * HOUR, len(ids)), 7 * DAY).astype(np.int64)
    rated &= rated_at <= world.timeline.snapshot
    index = np.flatnonzero(rated)
    mean = world.engineers.mean_stars[engineer[index]] - 0.9 * slow[index]
    row = np.round((np.clip(mean, 1.2, 4.97) - 1.0) * 100).astype(int)
    stars = 1 + (rng.random(len(index))[:, None] > world.stars[row][:, :4]).sum(axis=1)
    talk = rng.random(len(index)) < np.where(stars <= 3, 0.7, 0.25)
    pick = rng.random(len(index))
    comments = [v.RATING_COMMENTS[s][int(p * len(v.RATING_COMMENTS[s]))] if t else None
                for s, p, t in zip(stars.tolist(), pick.tolist(), talk.tolist())]
    return list(zip(range(next_id, next_id + len(index)), ids[index].tolist(), stars.tolist(),
                    comments, stamps(rated_at[index], world.timeline.base)))


def _parts(rng, ids, done, kind, category, next_id):
    n = len(ids)
    count = np.select(
        [kind == REPAIR, kind == MAINTENANCE, kind == FILTER_CHANGE],
        [1 + (rng.random(n) < 0.25), (rng.random(n) < 0.5).astype(int),
         rng.choice([1, 2, 3], size=n, p=[0.3, 0.45, 0.25])], 0)
    count = np.where(done, count, 0)
    order = np.repeat(np.arange(n), count)
    slot = np.arange(len(order)) - np.repeat(np.cumsum(count) - count, count)
    rows = []
    filters = {name: (lo, hi) for name, lo, hi in v.PARTS["water_purifier"]}
    picks = rng.random(len(order))
    prices = rng.random(len(order))
    # A filter change replaces different filters, in the usual order of wear.
    filter_order = v.FILTERS
    for k, (o, s, p, price) in enumerate(zip(order.tolist(), slot.tolist(), picks.tolist(), prices.tolist())):
        if kind[o] == FILTER_CHANGE:
            start = 0 if p < 0.6 else 1
            name = filter_order[(start + s) % 4]
            low, high = filters[name]
            qty = 1
        else:
            options = v.PARTS[CATEGORIES[category[o]]]
            name, low, high = options[int(p * len(options))]
            qty = 2 if (high < 60 and price < 0.3) else 1
        cost = int(low + price * (high - low)) // 10 * 1000 * qty
        rows.append((next_id + k, int(ids[o]), name, qty, cost))
    return rows
