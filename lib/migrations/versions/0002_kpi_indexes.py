"""Indexes the KPI queries need on the platform's tables (SPEC allows indexes).

Revision ID: 0002
"""
from alembic import op
from sqlalchemy import inspect

from lib.db.schema import KPI_INDEXES

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _existing(bind, table: str) -> set[str]:
    return {ix["name"] for ix in inspect(bind).get_indexes(table)}


def upgrade() -> None:
    bind = op.get_bind()
    for index in KPI_INDEXES:
        if index.name not in _existing(bind, index.table.name):
            index.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for index in KPI_INDEXES:
        if index.name in _existing(bind, index.table.name):
            index.drop(bind)
