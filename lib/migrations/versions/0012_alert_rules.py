"""Alert rules (issue 16): the admins' rules and the evaluator's state of each, both
console tables.

Revision ID: 0012
"""
from alembic import op

from lib.db.schema import console_alert_rules, console_alert_state

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    console_alert_rules.create(bind, checkfirst=True)
    console_alert_state.create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    console_alert_state.drop(bind, checkfirst=True)
    console_alert_rules.drop(bind, checkfirst=True)
