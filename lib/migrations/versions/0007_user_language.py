"""Each console user's UI language, so the choice survives a new sign-in.

Revision ID: 0007
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import inspect

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _columns(bind) -> set[str]:
    return {column["name"] for column in inspect(bind).get_columns("console_users")}


def upgrade() -> None:
    # 0001 creates console_users from the current schema, so a new database has it already.
    if "language" not in _columns(op.get_bind()):
        op.add_column("console_users", sa.Column("language", sa.String(8)))


def downgrade() -> None:
    if "language" in _columns(op.get_bind()):
        with op.batch_alter_table("console_users") as batch:
            batch.drop_column("language")
