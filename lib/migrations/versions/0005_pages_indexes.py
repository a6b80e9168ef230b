"""Indexes for the pages beyond the KPIs, found when the benchmark measured every page.

Measured on 1,000,000 orders (SQLite), before: each free-repair day in the list
counted its orders by scanning every order (about 0.09 s an event, 19 s for the
page's 200 events); engineer pay read every order to find those completed in the
range (1.4 s a query); coverage expiring in the next 90 days read every
appliance (0.55 s). With these, each is one index range (docs/benchmarks.md).

Revision ID: 0005
"""
from alembic import op
from sqlalchemy import inspect

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEW = {
    "ix_service_orders_free_repair_day": ("service_orders", ["free_repair_day_id"]),
    "ix_service_orders_completed_pay":
        ("service_orders", ["completed_at", "engineer_id", "cancelled_at", "payout_fen"]),
    "ix_appliances_warranty_until":
        ("appliances", ["warranty_until", "warranty", "purchased_at", "member_id"]),
}


def _existing(bind, table: str) -> set[str]:
    return {ix["name"] for ix in inspect(bind).get_indexes(table)}


def upgrade() -> None:
    bind = op.get_bind()
    for name, (table, columns) in NEW.items():
        if name not in _existing(bind, table):
            op.create_index(name, table, columns)


# InnoDB keeps an index on every foreign key column and adopts this one for
# free_repair_day_id, so MariaDB refuses to drop it; there it stays on downgrade.
FOREIGN_KEY_INDEX = "ix_service_orders_free_repair_day"


def downgrade() -> None:
    bind = op.get_bind()
    for name, (table, _) in NEW.items():
        if name == FOREIGN_KEY_INDEX and bind.dialect.name in ("mysql", "mariadb"):
            continue
        if name in _existing(bind, table):
            op.drop_index(name, table_name=table)
