"""The console's own tables: users and the audit log.

Revision ID: 0001
"""
from alembic import op

from lib.db.schema import console_audit_log, console_users

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    console_users.create(bind, checkfirst=True)
    console_audit_log.create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    console_audit_log.drop(bind, checkfirst=True)
    console_users.drop(bind, checkfirst=True)
