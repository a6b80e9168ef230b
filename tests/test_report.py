"""`python -m lib.report`: SPEC's JSON on hand-worked rows, and its one-line errors.

Range 2026-03-01..03-03, as-of 2026-04-01 00:00:00. City 1 in the promise since 2024, city 2
never. Member m1 (community k1, city 1) joined 03-02; m2 (k2, city 2) joined 02-01.
    o1 k1 install own_sales 03-01 10:00, done 03-01 20:00 by e1, rated 5 on 03-02  met
    o2 k1 repair partner_brand 03-03 12:00, done 03-04, by e1, rated 4 on 03-05   not SLA
    o3 k2 install own_sales 03-02 09:00, open        (city 2 not covered)          not SLA
    o4 k1 install own_sales 03-02 11:00, cancelled 03-02 12:00                     cancelled
    o5 k1 install own_sales 03-03 15:00, open, due 03-04 12:00                     breached
e2 registered after as-of: not listed. m1's purifier, bought 2025-01-01, is due.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from lib.db import make_engine
from lib.db.setup import create_all
from lib.demo.factory import Factory

ROOT = Path(__file__).resolve().parent.parent
D = datetime


@pytest.fixture(scope="module")
def report_db(tmp_path_factory) -> tuple[str, dict]:
    """URL of a SQLite file with the rows above, and their ids."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'service.db'}"
    engine = make_engine(url)
    create_all(engine)
    with engine.begin() as connection:
        make = Factory(connection)
        c1, c2 = make.city(sla_24h_since=date(2024, 1, 1)), make.city(sla_24h_since=None)
        k1, k2 = make.community(city_id=c1), make.community(city_id=c2)
        brand = make.brand()
        m1 = make.member(community_id=k1, joined_at=D(2026, 3, 2, 10))
        m2 = make.member(community_id=k2, joined_at=D(2026, 2, 1))
        e1 = make.engineer(city_id=c1, registered_at=D(2025, 1, 1))
        make.engineer(city_id=c1, registered_at=D(2026, 5, 1))
        make.appliance(member_id=m1, brand_id=brand, category="water_purifier",
                       purchased_at=D(2025, 1, 1))

        def order(community, member, service_type, source, created, **more):
            return make.order(community_id=community, member_id=member, brand_id=brand,
                              service_type=service_type, source=source, created_at=created,
                              **more)
        o1 = order(k1, m1, "install", "own_sales", D(2026, 3, 1, 10),
                   completed_at=D(2026, 3, 1, 20), engineer_id=e1)
        o2 = order(k1, m1, "repair", "partner_brand", D(2026, 3, 3, 12),
                   completed_at=D(2026, 3, 4), engineer_id=e1)
        make.rating(order_id=o1, stars=5, rated_at=D(2026, 3, 2))
        make.rating(order_id=o2, stars=4, rated_at=D(2026, 3, 5))
        order(k2, m2, "install", "own_sales", D(2026, 3, 2, 9))
        order(k1, m1, "install", "own_sales", D(2026, 3, 2, 11),
              cancelled_at=D(2026, 3, 2, 12))
        order(k1, m1, "install", "own_sales", D(2026, 3, 3, 15))
    engine.dispose()
    return url, {"c1": c1, "k1": k1, "k2": k2, "e1": e1}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib.report", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def snapshot(report_db) -> dict:
    url, _ = report_db
    result = run("--db", url, "--start", "2026-03-01", "--end", "2026-03-03",
                 "--as-of", "2026-04-01 00:00:00")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_range_and_orders(snapshot):
    assert snapshot["range"] == {"start": "2026-03-01", "end": "2026-03-03",
                                 "as_of": "2026-04-01 00:00:00"}
    assert snapshot["orders"] == {
        "total": 4, "cancelled": 1,  # o1 o2 o3 o5; o4
        "by_day": [{"date": "2026-03-01", "orders": 1}, {"date": "2026-03-02", "orders": 1},
                   {"date": "2026-03-03", "orders": 2}],
        "by_source": {"own_sales": 3, "partner_brand": 1},
        "by_service_type": {"install": 3, "repair": 1},
    }


def test_sla(snapshot, report_db):
    _, ids = report_db
    assert snapshot["sla"] == {
        "eligible": 2, "met": 1, "breached": 1, "pending": 0, "compliance": 0.5,
        "by_city": [{"city_id": ids["c1"], "met": 1, "breached": 1, "pending": 0,
                     "compliance": 0.5}]}


def test_engineers(snapshot, report_db):
    _, ids = report_db
    # e1: 5 and 4 within 90 days of as-of: 2 ratings, 4.5, unrated (fewer than 10)
    assert snapshot["engineers"] == [{"engineer_id": ids["e1"], "ratings": 2, "avg_stars": 4.5,
                                      "star_level": None}]


def test_retention(snapshot):
    # only March overlaps the range with a member (m1); March ended exactly at as-of.
    assert snapshot["retention"] == [{"cohort": "2026-03", "members": 1,
                                      "retained": [1.0] + [None] * 11,
                                      "active": [1.0] + [None] * 11}]


def test_communities(snapshot, report_db):
    _, ids = report_db
    assert snapshot["communities"] == [
        {"community_id": ids["k1"], "orders": 3, "members": 1, "avg_stars": 4.5,
         "maintenance_due": 1},
        {"community_id": ids["k2"], "orders": 1, "members": 1, "avg_stars": None,
         "maintenance_due": 0}]


def test_types(snapshot):
    assert isinstance(snapshot["orders"]["total"], int)
    assert isinstance(snapshot["sla"]["compliance"], float)
    assert all(isinstance(r["star_level"], (int, type(None))) for r in snapshot["engineers"])


def test_every_day_listed_including_zeros(report_db):
    url, _ = report_db
    result = run("--db", url, "--start", "2026-02-27", "--end", "2026-03-01",
                 "--as-of", "2026-04-01 00:00:00")
    body = json.loads(result.stdout)
    assert body["orders"]["by_day"] == [{"date": "2026-02-27", "orders": 0},
                                        {"date": "2026-02-28", "orders": 0},
                                        {"date": "2026-03-01", "orders": 1}]
    assert body["orders"]["by_service_type"] == {"install": 1}
    assert body["sla"]["by_city"] == [{"city_id": 1, "met": 1, "breached": 0, "pending": 0,
                                       "compliance": 1.0}]


def test_default_as_of_is_now(report_db):
    url, _ = report_db
    result = run("--db", url, "--start", "2026-03-01", "--end", "2026-03-01")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["range"]["as_of"]) == 19


@pytest.mark.parametrize("args", [
    ["--start", "2026-03-05", "--end", "2026-03-01"],
    ["--start", "2026-02-30", "--end", "2026-03-01"],
    ["--start", "2026/03/01", "--end", "2026-03-01"],
    ["--start", "2026-03-01", "--end", "2026-03-02", "--as-of", "2026-04-01"],
    ["--start", "2026-03-01"],
])
def test_bad_arguments(report_db, args):
    url, _ = report_db
    result = run("--db", url, *args)
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/x",
                                 "postgresql+psycopg://nobody@127.0.0.1:1/x",
                                 "sqlite:////nonexistent-dir/service.db"])
def test_unreachable_database(url):
    result = run("--db", url, "--start", "2026-03-01", "--end", "2026-03-02")
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_configured_settings_are_used(report_db, tmp_path):
    # The command reads [kpi] from the secrets file; a bad setting is a one-line error.
    url, _ = report_db
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[kpi]\nsla_cutoff_hour = 25\n")
    result = subprocess.run([sys.executable, "-m", "lib.report", "--db", url, "--start",
                             "2026-03-01", "--end", "2026-03-03"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "CONSOLE_SECRETS_FILE": str(secrets)})
    assert result.returncode != 0 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    # Two ratings are enough with star_min_ratings = 2: e1's 4.5 is four stars.
    secrets.write_text("[kpi]\nstar_min_ratings = 2\n")
    result = subprocess.run([sys.executable, "-m", "lib.report", "--db", url, "--start",
                             "2026-03-01", "--end", "2026-03-03", "--as-of", "2026-04-01 00:00:00"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "CONSOLE_SECRETS_FILE": str(secrets)})
    assert json.loads(result.stdout)["engineers"][0]["star_level"] == 4
