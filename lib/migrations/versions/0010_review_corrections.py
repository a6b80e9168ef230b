"""Managers' corrections of a review's complaint causes (issue 15): a console table,
the platform's reviews stay read-only.

Revision ID: 0010
"""
from alembic import op

from lib.db.schema import console_review_corrections

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    console_review_corrections.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    console_review_corrections.drop(op.get_bind(), checkfirst=True)
