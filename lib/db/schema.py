"""The service database as SPEC.md defines it, plus the console's own tables.

Table and column names are a contract other systems read: do not rename.
Timestamps are naive Beijing local time; money is integer fen; enums are
lower-case text. The service tables belong to the platform; the console only
adds indexes (see `KPI_INDEXES`) and its own tables (`console_*`).
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy import column as sa_column

CATEGORIES = (
    "air_conditioner", "water_purifier", "range_hood", "washing_machine",
    "refrigerator", "water_heater", "gas_stove",
)
SERVICE_TYPES = ("install", "repair", "cleaning", "maintenance", "inspection", "filter_change")
SOURCES = ("own_sales", "partner_brand", "member_request", "free_repair_day")
ORDER_CHANNELS = ("wechat", "app", "phone", "store", "ecommerce")
MEMBER_CHANNELS = ("wechat", "app", "store", "phone")
WARRANTIES = ("none", "standard", "extended", "full")
ENGINEER_STATUSES = ("applicant", "active", "suspended")
CERTIFICATION_STATUSES = ("pending", "approved", "rejected", "revoked")
TRADE_IN_STATUSES = ("pending", "coupon_issued", "rejected")
COUPON_STATUSES = ("issued", "redeemed", "expired", "void")
FREE_REPAIR_DAY_STATUSES = ("planned", "done", "cancelled")
ROLES = ("admin", "manager", "hr", "marketing")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _enum_check(column: str, values: tuple[str, ...]) -> CheckConstraint:
    # `column()` quotes per dialect: `condition` is a reserved word in MariaDB.
    return CheckConstraint(sa_column(column).in_(values), name=f"{column}_values")


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _name(length: int = 64) -> String:
    return String(length)


cities = Table(
    "cities", metadata, _id(),
    Column("name", _name(), nullable=False, unique=True),
    Column("province", _name(), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("sla_24h_since", Date),
)

brands = Table(
    "brands", metadata, _id(),
    Column("name", _name(), nullable=False, unique=True),
    Column("is_partner", Boolean, nullable=False),
)

communities = Table(
    "communities", metadata, _id(),
    Column("city_id", ForeignKey("cities.id"), nullable=False, index=True),
    Column("name", _name(128), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("households", Integer, nullable=False),
)

members = Table(
    "members", metadata, _id(),
    Column("name", _name(), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("community_id", ForeignKey("communities.id"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("joined_at", DateTime, nullable=False),
    Column("left_at", DateTime),
    _enum_check("channel", MEMBER_CHANNELS),
)

appliances = Table(
    "appliances", metadata, _id(),
    Column("member_id", ForeignKey("members.id"), nullable=False, index=True),
    Column("category", String(24), nullable=False),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("purchased_at", DateTime, nullable=False),
    Column("warranty", String(16), nullable=False),
    Column("warranty_until", Date),
    _enum_check("category", CATEGORIES),
    _enum_check("warranty", WARRANTIES),
)

engineers = Table(
    "engineers", metadata, _id(),
    Column("name", _name(), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("city_id", ForeignKey("cities.id"), nullable=False, index=True),
    Column("id_card_no", String(18), nullable=False),
    Column("work_card_no", String(32), nullable=False),
    Column("registered_at", DateTime, nullable=False),
    Column("status", String(16), nullable=False),
    _enum_check("status", ENGINEER_STATUSES),
)

engineer_certifications = Table(
    "engineer_certifications", metadata, _id(),
    Column("engineer_id", ForeignKey("engineers.id"), nullable=False, index=True),
    Column("category", String(24), nullable=False),
    Column("exam_score", Integer),
    Column("exam_taken_at", DateTime),
    Column("id_verified", Boolean, nullable=False),
    Column("work_card_verified", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("applied_at", DateTime, nullable=False),
    Column("reviewed_at", DateTime),
    Column("reviewed_by", _name()),
    Column("review_note", Text),
    _enum_check("category", CATEGORIES),
    _enum_check("status", CERTIFICATION_STATUSES),
    CheckConstraint("exam_score BETWEEN 0 AND 100", name="exam_score_range"),
    Index(None, "status", "applied_at"),
)

free_repair_days = Table(
    "free_repair_days", metadata, _id(),
    Column("community_id", ForeignKey("communities.id"), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("services", String(255), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("planned_by", _name(), nullable=False),
    Column("created_at", DateTime, nullable=False),
    _enum_check("status", FREE_REPAIR_DAY_STATUSES),
    CheckConstraint("capacity > 0", name="capacity_positive"),
    Index(None, "community_id", "event_date"),
    Index(None, "event_date"),
)

free_repair_day_engineers = Table(
    "free_repair_day_engineers", metadata, _id(),
    Column("free_repair_day_id", ForeignKey("free_repair_days.id"), nullable=False),
    Column("engineer_id", ForeignKey("engineers.id"), nullable=False, index=True),
    UniqueConstraint("free_repair_day_id", "engineer_id"),
)

service_orders = Table(
    "service_orders", metadata, _id(),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("appliance_id", ForeignKey("appliances.id")),
    Column("community_id", ForeignKey("communities.id"), nullable=False),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("category", String(24), nullable=False),
    Column("service_type", String(16), nullable=False),
    Column("source", String(24), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("dispatched_at", DateTime),
    Column("engineer_id", ForeignKey("engineers.id")),
    Column("arrived_at", DateTime),
    Column("completed_at", DateTime),
    Column("cancelled_at", DateTime),
    Column("fee_fen", Integer, nullable=False),
    Column("payout_fen", Integer, nullable=False),
    Column("free_repair_day_id", ForeignKey("free_repair_days.id")),
    _enum_check("category", CATEGORIES),
    _enum_check("service_type", SERVICE_TYPES),
    _enum_check("source", SOURCES),
    _enum_check("channel", ORDER_CHANNELS),
)

ratings = Table(
    "ratings", metadata, _id(),
    Column("order_id", ForeignKey("service_orders.id"), nullable=False, unique=True),
    Column("stars", Integer, nullable=False),
    Column("comment", Text),
    Column("rated_at", DateTime, nullable=False),
    CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
)

parts_used = Table(
    "parts_used", metadata, _id(),
    Column("order_id", ForeignKey("service_orders.id"), nullable=False, index=True),
    Column("part_name", _name(), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("cost_fen", Integer, nullable=False),
)

reviews = Table(
    "reviews", metadata, _id(),
    Column("platform", String(32), nullable=False),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("product_type", String(24), nullable=False),
    Column("price_band", String(32), nullable=False),
    Column("stars", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("created_at", DateTime, nullable=False, index=True),
    CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
)

trade_in_requests = Table(
    "trade_in_requests", metadata, _id(),
    Column("member_id", ForeignKey("members.id"), nullable=False, index=True),
    Column("category", String(24), nullable=False),
    Column("old_brand", _name(), nullable=False),
    Column("age_years", Integer, nullable=False),
    Column("condition", String(16), nullable=False),
    Column("reported_at", DateTime, nullable=False),
    Column("status", String(16), nullable=False),
    _enum_check("condition", ("working", "broken")),
    _enum_check("status", TRADE_IN_STATUSES),
    Index(None, "status", "reported_at"),
)

coupons = Table(
    "coupons", metadata, _id(),
    Column("code", String(32), nullable=False, unique=True),
    Column("member_id", ForeignKey("members.id"), nullable=False, index=True),
    Column("trade_in_request_id", ForeignKey("trade_in_requests.id"), unique=True),
    Column("value_fen", Integer, nullable=False),
    Column("issued_at", DateTime, nullable=False),
    Column("issued_by", _name(), nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("redeemed_at", DateTime),
    Column("status", String(16), nullable=False),
    _enum_check("status", COUPON_STATUSES),
    CheckConstraint("value_fen > 0", name="value_positive"),
)

# Indexes the KPI queries lean on. They are the console's additions to the
# platform's tables (SPEC allows indexes), so they are created by migration
# 0002 on a production database and by `create_service_schema` on the demo.
KPI_INDEXES = (
    Index("ix_service_orders_created_at", service_orders.c.created_at),
    # Community heat reads orders per community with their cancellation from
    # the index alone (migration 0004).
    Index("ix_service_orders_community_created_cancelled", service_orders.c.community_id,
          service_orders.c.created_at, service_orders.c.cancelled_at),
    Index("ix_service_orders_type_created", service_orders.c.service_type,
          service_orders.c.created_at),
    Index("ix_service_orders_engineer_created", service_orders.c.engineer_id,
          service_orders.c.created_at),
    # Retention's active members from the index alone (migration 0011).
    Index("ix_service_orders_member_created_cancelled", service_orders.c.member_id,
          service_orders.c.created_at, service_orders.c.cancelled_at),
    # Maintenance due and first-time fix: the last reset of each appliance,
    # answered from the index alone (cancelled_at and created_at included for
    # that: migrations 0003 and 0006).
    Index("ix_service_orders_appliance_reset_created", service_orders.c.appliance_id,
          service_orders.c.service_type, service_orders.c.completed_at,
          service_orders.c.cancelled_at, service_orders.c.created_at),
    Index("ix_ratings_rated_at", ratings.c.rated_at),
    Index("ix_ratings_order_rated", ratings.c.order_id, ratings.c.rated_at, ratings.c.stars),
    Index("ix_members_joined_at", members.c.joined_at),
    Index("ix_members_community", members.c.community_id),
    # The other pages (migration 0005): each free-repair day's orders, engineer pay
    # by completion moment (read from the index alone), coverage running out soon.
    Index("ix_service_orders_free_repair_day", service_orders.c.free_repair_day_id),
    Index("ix_service_orders_completed_pay", service_orders.c.completed_at,
          service_orders.c.engineer_id, service_orders.c.cancelled_at, service_orders.c.payout_fen),
    Index("ix_appliances_warranty_until", appliances.c.warranty_until, appliances.c.warranty,
          appliances.c.purchased_at, appliances.c.member_id),
)

SERVICE_TABLES = (
    cities, brands, communities, members, appliances, engineers,
    engineer_certifications, free_repair_days, free_repair_day_engineers,
    service_orders, ratings, parts_used, reviews, trade_in_requests, coupons,
)

# --- The console's own tables (created and changed by Alembic migrations) ---

console_users = Table(
    "console_users", metadata, _id(),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", _name(), nullable=False),
    Column("password_hash", String(100), nullable=False),
    Column("roles", String(64), nullable=False),  # comma-separated, see ROLES
    Column("disabled", Boolean, nullable=False, default=False),
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    # Epoch milliseconds; sessions and cookies issued before this are void.
    Column("sessions_valid_after_ms", BigInteger, nullable=False, default=0),
    Column("created_at", DateTime, nullable=False),
    # The UI language the user last chose (zh_CN, en); NULL: the console's default.
    Column("language", String(8)),
    Column("last_login_at", DateTime),  # migration 0009
)

console_audit_log = Table(
    "console_audit_log", metadata, _id(),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("entity_id", Integer),
    Column("before_json", Text),
    Column("after_json", Text),
    Index(None, "entity", "entity_id"),
)

# Every digest run, sent message and failure (python -m lib.digest, issue 16); no
# secrets and no webhook URLs are stored, only the destination's configured name.
console_digest_log = Table(
    "console_digest_log", metadata, _id(),
    Column("at", DateTime, nullable=False, index=True),
    Column("run_id", String(32), nullable=False),
    Column("kind", String(16), nullable=False),         # run, send; alert, recovery, alert_run
    Column("role", String(16), nullable=False),         # "" for alerts
    Column("destination", String(64), nullable=False),  # the configured name ("" for a run)
    Column("channel", String(16), nullable=False),      # wecom, dingtalk, feishu, email ("" for a run)
    Column("status", String(16), nullable=False),       # ok, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("detail", Text),
)


# One row per signed-in browser (migration 0009). The login cookie carries a
# random session id; only its SHA-256 is stored. A session is valid while it is
# not ended, not expired (the server's own expiry, whatever the cookie says),
# its user is enabled and it was issued after `sessions_valid_after_ms`.
console_sessions = Table(
    "console_sessions", metadata, _id(),
    Column("sid_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("console_users.id"), nullable=False, index=True),
    Column("issued_ms", BigInteger, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Column("ended_by", String(64)),
    Column("client", String(120)),
)

# Managers' corrections of a review's complaint causes (issue 15). The platform's
# `reviews` stays read-only: a correction here overrides the tagger in every figure
# and joins the next training run (python -m lib.tagger train --db URL).
console_review_corrections = Table(
    "console_review_corrections", metadata, _id(),
    Column("review_id", Integer, nullable=False, unique=True),   # reviews.id (no foreign key: platform table)
    Column("causes", String(255), nullable=False),               # comma-separated, CAUSES order; "" = none
    Column("tagger_causes", String(255), nullable=False),        # what the model said when corrected
    Column("model_version", String(16), nullable=False),
    Column("corrected_by", String(64), nullable=False),
    Column("corrected_at", DateTime, nullable=False),
)

# Alert rules (issue 16), edited by admins (lib/commands/alert_rules.py) and evaluated by
# `python -m lib.digest --alerts` (lib/alerts). Thresholds are in the KPI's own unit: a
# rate as a fraction 0..1, a count as a whole number. `version` starts at 1 and goes up
# with every change: an edit names the version it was drawn from and is refused when the
# rule changed in between (two admins at once).
ALERT_KPIS = ("sla_compliance", "sla_breached", "first_time_fix")
ALERT_COMPARISONS = ("under", "over")

console_alert_rules = Table(
    "console_alert_rules", metadata, _id(),
    Column("name", String(80), nullable=False, unique=True),
    Column("kpi", String(32), nullable=False),
    Column("city_id", Integer),                      # cities.id; NULL: every city (no foreign key: platform table)
    Column("brand_id", Integer),                     # brands.id; NULL: every brand
    Column("comparison", String(8), nullable=False),  # under, over
    Column("threshold", Double, nullable=False),   # DOUBLE: MariaDB's FLOAT is single precision
    Column("window_hours", Integer, nullable=False),
    Column("destinations", Text, nullable=False),    # configured digest destination names, comma-separated
    Column("repeat_minutes", Integer, nullable=False),
    Column("quiet_start", Time),                     # local time; both NULL: no quiet hours
    Column("quiet_end", Time),                       # may be earlier than quiet_start (wraps midnight)
    Column("enabled", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=1),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    _enum_check("kpi", ALERT_KPIS),
    _enum_check("comparison", ALERT_COMPARISONS),
)

# What the evaluator last concluded about each rule. A table of its own, not columns of
# the rule: the rule is the admins' audited definition with its version for their edits;
# the state is written by every evaluation run. In one row each evaluation would either
# bump the admins' version (an admin's open form would be refused after every cron run)
# or write the row past it (two writers, two concurrency rules on one row). `seq` is the
# evaluator's own version: every decision to send is a conditional UPDATE on it that
# commits before anything is sent, so of two runs at once exactly one sends.
console_alert_state = Table(
    "console_alert_state", metadata,
    Column("rule_id", Integer, ForeignKey("console_alert_rules.id"), primary_key=True,
           autoincrement=False),
    Column("firing", Boolean, nullable=False, default=False),
    Column("firing_since", DateTime),      # the evaluation that found it true first
    Column("last_sent_at", DateTime),      # the last alert sent while firing (NULL: none sent yet)
    Column("last_value", Double),           # the figure at the last evaluation (NULL: no data)
    Column("evaluated_at", DateTime),
    Column("seq", Integer, nullable=False, default=0),
)

CONSOLE_TABLES = (console_users, console_audit_log, console_digest_log, console_sessions,
                  console_review_corrections, console_alert_rules, console_alert_state)
