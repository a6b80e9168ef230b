"""The seeded demo builder: deterministic, consistent, and shaped like the business.

The builder runs once per backend (module scope, on the same fresh databases the
`engine` fixture gives) and the checks read that one build; trends are checked
with wide margins so they hold for any seed.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, inspect, select

from lib.db import schema as s
from lib.db.provision import BACKENDS
from lib.demo.builder import BuildSummary, build
from lib.demo.identity import is_valid_id_card
from tests.conftest import fresh_engine

ORDERS = 3000
SEED = 11
END = date(2026, 3, 18)
SNAPSHOT = datetime.combine(END, datetime.max.time()).replace(microsecond=0)


@pytest.fixture(scope="module", params=BACKENDS)
def built(request, tmp_path_factory):
    """(engine, summary, progress calls) of one build of ORDERS orders on each backend."""
    calls = []
    with fresh_engine(request.param, tmp_path_factory.mktemp("demo")) as engine:
        summary = build(engine, orders=ORDERS, seed=SEED, end=END,
                        progress=lambda step, done, total: calls.append((step, done, total)))
        yield engine, summary, calls


def frame(engine, table) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(select(table).order_by(table.c.id)).mappings().all())


def digest(engine) -> str:
    text = "".join(repr(tuple(row)) for row in frame(engine, s.service_orders).itertuples(index=False))
    text += "".join(repr(tuple(row)) for row in frame(engine, s.ratings).itertuples(index=False))
    return hashlib.sha256(text.encode()).hexdigest()


def test_summary_counts_the_rows(built):
    engine, summary, _ = built
    assert isinstance(summary, BuildSummary)
    assert summary.service_orders == ORDERS
    with engine.connect() as connection:
        for table in s.SERVICE_TABLES:
            count = connection.execute(select(func.count()).select_from(table)).scalar()
            assert count == summary.as_dict()[table.name], table.name
            assert count > 0, f"{table.name} is empty"


def test_progress_is_reported_per_step(built):
    _, _, calls = built
    steps = [step for step, _, _ in calls]
    assert {"members", "orders"} <= set(steps)
    orders = [(done, total) for step, done, total in calls if step == "orders"]
    assert orders[-1] == (ORDERS, ORDERS)
    assert [d for d, _ in orders] == sorted(d for d, _ in orders)


def test_same_seed_same_rows_other_seed_other_rows(tmp_path):
    digests = []
    for seed in (5, 5, 6):
        with fresh_engine("sqlite", tmp_path) as engine:
            build(engine, orders=500, seed=seed, end=END)
            digests.append(digest(engine))
    assert digests[0] == digests[1], "same seed must give identical rows"
    assert digests[0] != digests[2], "another seed must give other rows"


def test_cities_are_real_places(built):
    engine, _, _ = built
    cities = frame(engine, s.cities).set_index("name")
    assert len(cities) >= 20
    for name, lat, lon in (("宁波", 29.87, 121.55), ("武汉", 30.59, 114.30), ("北京", 39.90, 116.40)):
        assert abs(cities.loc[name, "lat"] - lat) < 0.2 and abs(cities.loc[name, "lon"] - lon) < 0.2, name
    covered = cities["sla_24h_since"].notna()
    assert covered.sum() >= 30
    firsts = cities["sla_24h_since"].value_counts().sort_index()
    assert firsts.iloc[0] == 17, "17 cities joined the 24-hour promise first"


def test_ningbo_has_communities_in_beilun(built):
    engine, _, _ = built
    cities = frame(engine, s.cities).set_index("name")
    communities = frame(engine, s.communities)
    ningbo = communities[communities["city_id"] == cities.loc["宁波", "id"]]
    near_beilun = ((ningbo["lat"] - 29.90).abs() < 0.1) & ((ningbo["lon"] - 121.84).abs() < 0.1)
    assert near_beilun.any()
    assert communities["households"].between(200, 5000).all()


def test_identifiers_are_valid_in_form(built):
    engine, _, _ = built
    engineers = frame(engine, s.engineers)
    assert engineers["id_card_no"].map(is_valid_id_card).all()
    for phones in (engineers["phone"], frame(engine, s.members)["phone"]):
        assert phones.str.fullmatch(r"1\d{10}").all()
    assert engineers["work_card_no"].is_unique


def test_orders_agree_with_members_and_appliances(built):
    engine, _, _ = built
    orders = frame(engine, s.service_orders)
    members = frame(engine, s.members).set_index("id")
    appliances = frame(engine, s.appliances).set_index("id")
    engineers = frame(engine, s.engineers).set_index("id")
    communities = frame(engine, s.communities).set_index("id")
    assert (orders["community_id"].values == members.loc[orders["member_id"], "community_id"].values).all()
    with_app = orders[orders["appliance_id"].notna()]
    owner = appliances.loc[with_app["appliance_id"].astype(int)]
    assert (owner["member_id"].values == with_app["member_id"].values).all()
    assert (owner["category"].values == with_app["category"].values).all()
    assert (owner["brand_id"].values == with_app["brand_id"].values).all()
    assert orders.loc[orders["service_type"] != "install", "appliance_id"].notna().all()
    served = orders[orders["engineer_id"].notna()]
    order_city = communities.loc[served["community_id"], "city_id"].values
    assert (engineers.loc[served["engineer_id"].astype(int), "city_id"].values == order_city).all()


def test_order_timestamps_are_in_order_and_in_range(built):
    engine, _, _ = built
    orders = frame(engine, s.service_orders)
    assert orders["created_at"].max() <= SNAPSHOT
    assert orders["created_at"].min() >= datetime.combine(END - timedelta(days=3 * 366), datetime.min.time())
    for earlier, later in (("created_at", "dispatched_at"), ("dispatched_at", "arrived_at"),
                           ("arrived_at", "completed_at")):
        both = orders[orders[earlier].notna() & orders[later].notna()]
        assert (both[earlier] <= both[later]).all(), (earlier, later)
    for column in ("dispatched_at", "arrived_at", "completed_at", "cancelled_at"):
        assert (orders[column].dropna() <= SNAPSHOT).all(), column
    cancelled = orders["cancelled_at"].notna().mean()
    assert 0.02 < cancelled < 0.07
    free_day = orders["source"] == "free_repair_day"
    assert free_day.any() and (orders["free_repair_day_id"].notna() == free_day).all()


def test_partner_share_of_installs_rises(built):
    engine, _, _ = built
    orders = frame(engine, s.service_orders)
    installs = orders[orders["service_type"] == "install"]
    first = installs[installs["created_at"] < installs["created_at"].min() + timedelta(days=365)]
    last = installs[installs["created_at"] > SNAPSHOT - timedelta(days=365)]
    share = lambda rows: (rows["source"] == "partner_brand").mean()  # noqa: E731
    assert share(first) < 0.6 < 0.65 < share(last), "own sales to partner: 6:4 heading to 2:8"
    assert share(last) - share(first) > 0.15


def test_afternoon_installs_breach_more_often(built):
    engine, _, _ = built
    orders = frame(engine, s.service_orders)
    cities = frame(engine, s.cities).set_index("id")
    communities = frame(engine, s.communities).set_index("id")
    orders["sla_since"] = pd.to_datetime(
        cities.loc[communities.loc[orders["community_id"], "city_id"], "sla_24h_since"].values)
    created = orders["created_at"]
    eligible = orders[(orders["service_type"] == "install") & orders["cancelled_at"].isna()
                      & (orders["sla_since"] <= created.dt.normalize())].copy()
    day = eligible["created_at"].dt.normalize()
    morning = eligible["created_at"].dt.hour < 11
    eligible["due"] = day + pd.to_timedelta(1, "D") + pd.to_timedelta((~morning) * 12, "h")
    decided = eligible[eligible["completed_at"].notna() | (eligible["due"] < SNAPSHOT)]
    breached = decided["completed_at"].isna() | (decided["completed_at"] > decided["due"])
    is_morning = decided["created_at"].dt.hour < 11
    morning_rate, afternoon_rate = breached[is_morning].mean(), breached[~is_morning].mean()
    assert 0.0 < morning_rate < afternoon_rate < 0.35
    assert len(decided) > 300


def test_ratings_are_mostly_good(built):
    engine, _, _ = built
    ratings = frame(engine, s.ratings)
    orders = frame(engine, s.service_orders).set_index("id")
    assert 4.2 <= ratings["stars"].mean() <= 4.9
    assert set(ratings["stars"]) == {1, 2, 3, 4, 5}
    completed = orders["completed_at"].notna() & orders["cancelled_at"].isna()
    assert 0.5 < len(ratings) / completed.sum() < 0.8
    rated = orders.loc[ratings["order_id"]]
    assert (ratings["rated_at"].values >= rated["completed_at"].values).all()
    assert ratings["comment"].notna().any()
    per_engineer = ratings.assign(engineer=rated["engineer_id"].values).groupby("engineer")["stars"].mean()
    assert per_engineer.min() < 4.0 < 4.8 < per_engineer.max()


def test_certifications_have_pending_cases_to_review(built):
    engine, _, _ = built
    papers = frame(engine, s.engineer_certifications)
    engineers = frame(engine, s.engineers).set_index("id")
    pending = papers[papers["status"] == "pending"]
    assert (pending["exam_score"] < 60).any()
    assert (~pending["id_verified"].astype(bool) | ~pending["work_card_verified"].astype(bool)).any()
    decided = papers[papers["status"] != "pending"]
    assert decided[["reviewed_at", "reviewed_by"]].notna().all().all()
    assert pending["reviewed_at"].isna().all()
    assert {"approved", "rejected", "revoked"} <= set(decided["status"])
    active = engineers.index[engineers["status"] == "active"]
    approved = set(papers.loc[papers["status"] == "approved", "engineer_id"])
    assert set(active) <= approved
    assert {"active", "applicant", "suspended"} == set(engineers["status"])


def test_trade_ins_and_coupons(built):
    engine, _, _ = built
    requests = frame(engine, s.trade_in_requests).set_index("id")
    coupons = frame(engine, s.coupons)
    assert (requests["status"] == "pending").any()
    assert coupons["trade_in_request_id"].notna().all()
    linked = requests.loc[coupons["trade_in_request_id"].astype(int)]
    assert (linked["status"] == "coupon_issued").all()
    assert (linked["member_id"].values == coupons["member_id"].values).all()
    assert ((coupons["expires_at"] - coupons["issued_at"]) == timedelta(days=90)).all()
    assert requests["age_years"].between(1, 20).all()
    # nothing waits for years: a pending request is at most about two months old
    snapshot = pd.Timestamp(END) + pd.Timedelta(days=1)
    waiting = snapshot - pd.to_datetime(requests.loc[requests["status"] == "pending", "reported_at"])
    assert waiting.max() <= pd.Timedelta(days=61), waiting.max()


def test_reviews_cover_complaints_and_praise(built):
    engine, _, _ = built
    reviews = frame(engine, s.reviews)
    assert set(reviews["platform"]) <= {"京东", "天猫", "拼多多", "抖音"}
    assert (reviews["stars"] <= 2).mean() > 0.1
    assert reviews["content"].str.contains("安装").any()


def test_free_repair_days_past_and_planned(built):
    engine, _, _ = built
    days = frame(engine, s.free_repair_days)
    crews = frame(engine, s.free_repair_day_engineers)
    assert {"done", "planned", "cancelled"} == set(days["status"])
    planned = days[days["status"] == "planned"]
    assert (pd.to_datetime(planned["event_date"]) > pd.Timestamp(END)).all()
    assert set(days.loc[days["status"] == "done", "id"]) <= set(crews["free_repair_day_id"])
    allowed = {"cleaning", "safety_check", "air_test", "water_test", "filter_change"}
    assert days["services"].str.split(",").map(lambda items: set(items) <= allowed).all()


def test_the_last_day_has_orders_some_still_open(built):
    engine, _, _ = built
    orders = frame(engine, s.service_orders)
    last = orders[orders["created_at"] >= datetime.combine(END, datetime.min.time())]
    assert len(last) >= 3
    recent = orders[orders["created_at"] >= SNAPSHOT - timedelta(days=2)]
    still_open = recent["completed_at"].isna() & recent["cancelled_at"].isna()
    assert still_open.any()


def test_too_few_orders_are_refused(sqlite_engine):
    with pytest.raises(ValueError):
        build(sqlite_engine, orders=10, seed=1, end=END)


def test_rows_keep_every_constraint_the_build_skipped(built):
    """The build loads without CHECK/foreign-key enforcement on some backends; nothing may slip."""
    engine, _, _ = built
    enums = {s.service_orders: {"category": s.CATEGORIES, "service_type": s.SERVICE_TYPES,
                                "source": s.SOURCES, "channel": s.ORDER_CHANNELS},
             s.members: {"channel": s.MEMBER_CHANNELS},
             s.appliances: {"category": s.CATEGORIES, "warranty": s.WARRANTIES},
             s.engineers: {"status": s.ENGINEER_STATUSES},
             s.engineer_certifications: {"status": s.CERTIFICATION_STATUSES},
             s.trade_in_requests: {"status": s.TRADE_IN_STATUSES, "condition": ("working", "broken")},
             s.coupons: {"status": s.COUPON_STATUSES},
             s.free_repair_days: {"status": s.FREE_REPAIR_DAY_STATUSES}}
    for table, columns in enums.items():
        rows = frame(engine, table)
        for column, allowed in columns.items():
            assert set(rows[column]) <= set(allowed), (table.name, column)
    with engine.connect() as connection:
        present = {ix["name"] for ix in inspect(connection).get_indexes("service_orders")}
        assert {ix.name for ix in s.KPI_INDEXES if ix.table is s.service_orders} <= present
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0
        if engine.dialect.name in ("mysql", "mariadb"):
            assert connection.exec_driver_sql("SELECT @@foreign_key_checks").scalar() == 1


def test_ids_continue_after_the_build(built):
    """Explicit ids must not leave a sequence behind: the next plain insert still works."""
    engine, _, _ = built
    with engine.begin() as connection:
        new_id = connection.execute(s.brands.insert().values(name="测试新品牌", is_partner=False)).inserted_primary_key[0]
        assert new_id == 21
        connection.execute(s.brands.delete().where(s.brands.c.id == new_id))


def test_a_database_created_after_a_build_keeps_its_foreign_keys(built, request, tmp_path):
    """The PostgreSQL build drops and re-adds the foreign keys; that must not strip them
    from the shared table definitions, or every later database of the process has none."""
    with fresh_engine(request.node.callspec.params["built"], tmp_path) as later:
        for table in s.SERVICE_TABLES:
            expected = {fk.name for fk in table.foreign_key_constraints}
            present = {fk["name"] for fk in inspect(later).get_foreign_keys(table.name)}
            assert present == expected, table.name
