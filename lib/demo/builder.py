"""The seeded demo data builder: three years of a realistic service platform.

    from lib.demo.builder import build
    summary = build(engine, orders=100_000, seed=7, end=date(2026, 11, 24))

`end` is a day (the data runs to 23:59:59 of it) or a moment (the data ends there:
the console's demo is built to end at the moment of its build, so nothing in it lies
later than its own "as of"). Same (orders, seed, end), same rows, on SQLite,
PostgreSQL and MariaDB. The
service tables must exist and be empty; console_* tables are not touched.
Columns are generated with numpy in chunks and written in bulk
(`lib.demo.bulk`), so a million orders take well under two minutes.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Callable

import numpy as np
from sqlalchemy import Connection, Engine, Table

from lib.db import schema as s
from lib.demo import marketing, orders as order_module, people
from lib.demo.bulk import Loader, bulk_mode
from lib.demo.timeline import Timeline

Progress = Callable[[str, int, int], None]
CHUNK = 100_000       # orders generated at a time
BATCH = 20_000        # rows written per statement (and per progress report)
MIN_ORDERS = 200


@dataclass(frozen=True)
class BuildSummary:
    """Rows written per service table."""
    cities: int = 0
    brands: int = 0
    communities: int = 0
    members: int = 0
    appliances: int = 0
    engineers: int = 0
    engineer_certifications: int = 0
    free_repair_days: int = 0
    free_repair_day_engineers: int = 0
    service_orders: int = 0
    ratings: int = 0
    parts_used: int = 0
    reviews: int = 0
    trade_in_requests: int = 0
    coupons: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns]


class _Writer:
    """Writes batches, each committed on its own, and counts rows per table."""

    def __init__(self, connection: Connection, progress: Progress | None):
        self.connection = connection
        self.loader = Loader(connection)
        self.progress = progress or (lambda step, done, total: None)
        self.counts: dict[str, int] = {}

    def write(self, table: Table, rows: list, step: str | None = None) -> None:
        columns = _columns(table)
        for start in range(0, len(rows), BATCH):
            self.loader.write(table, columns, rows[start:start + BATCH])
            self.connection.commit()
            if step:
                self.progress(step, min(len(rows), start + BATCH), len(rows))
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def finish(self) -> None:
        self.loader.finish(s.SERVICE_TABLES)
        self.connection.commit()


def build(engine: Engine, *, orders: int, seed: int, end: date | datetime,
          progress: Progress | None = None) -> BuildSummary:
    """Fill the empty service tables with `orders` orders over three years ending at `end`."""
    if orders < MIN_ORDERS:
        raise ValueError(f"orders must be at least {MIN_ORDERS}")
    with engine.connect() as connection, bulk_mode(connection):
        summary = _build(_Writer(connection, progress), orders, seed, end)
    if progress:
        progress("done", 1, 1)
    return summary


def _build(out: _Writer, orders: int, seed: int, end: date | datetime) -> BuildSummary:
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    timeline = Timeline.ending(end)
    report = out.progress

    report("reference", 0, 3)
    cities = people.make_cities(timeline)
    brands = people.make_brands()
    communities = people.make_communities(rng, prng, cities, orders)
    out.write(s.cities, cities.rows)
    out.write(s.brands, brands.rows)
    out.write(s.communities, communities.rows)
    report("reference", 3, 3)

    members = people.make_members(rng, prng, timeline, communities, max(50, orders // 4))
    out.write(s.members, members.rows, "members")
    appliances = people.make_appliances(rng, timeline, members, brands)
    out.write(s.appliances, appliances.rows, "appliances")
    engineers = people.make_engineers(rng, prng, timeline, cities, orders)
    out.write(s.engineers, engineers.rows, "engineers")
    out.write(s.engineer_certifications, engineers.certification_rows, "certifications")

    plan = order_module.plan_orders(rng, timeline, members, appliances, communities, engineers, orders)
    out.write(s.free_repair_days, plan.free_day_rows)
    out.write(s.free_repair_day_engineers, plan.free_day_engineer_rows)
    world = order_module.World(timeline, cities, communities, members, appliances, engineers,
                               order_module.star_table())
    rating_id = part_id = 1
    for lo in range(0, len(plan), CHUNK):
        hi = min(len(plan), lo + CHUNK)
        rows, ratings, parts = order_module.order_rows(rng, world, plan, lo, hi, rating_id, part_id)
        for start in range(0, len(rows), BATCH):
            out.write(s.service_orders, rows[start:start + BATCH])
            report("orders", lo + min(len(rows), start + BATCH), len(plan))
        out.write(s.ratings, ratings)
        out.write(s.parts_used, parts)
        rating_id += len(ratings)
        part_id += len(parts)

    reviews = marketing.make_reviews(rng, prng, timeline, max(30, orders // 50))
    out.write(s.reviews, reviews, "reviews")
    requests, coupons = marketing.make_trade_ins(rng, prng, timeline, members,
                                                 max(20, len(members.joined) // 12))
    out.write(s.trade_in_requests, requests, "trade_ins")
    out.write(s.coupons, coupons, "coupons")
    out.finish()
    report("indexes", 0, 1)  # bulk_mode rebuilds them next
    return BuildSummary(**out.counts)
