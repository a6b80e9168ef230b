"""Console sessions: one row per signed-in browser, each revocable; a user's last sign-in.

Revision ID: 0009
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import inspect

from lib.db.schema import console_sessions

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # 0001 creates console_users from the current schema, so a fresh database
    # already has the column; an older one gets it here.
    if "last_login_at" not in {c["name"] for c in inspect(bind).get_columns("console_users")}:
        op.add_column("console_users", sa.Column("last_login_at", sa.DateTime))
    console_sessions.create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    console_sessions.drop(bind, checkfirst=True)
    op.drop_column("console_users", "last_login_at")
