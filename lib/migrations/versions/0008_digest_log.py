"""The digest log (issue 16): every run of python -m lib.digest, every message sent
and every failure, shown to admins; and an index on members.phone so an order
lookup by a member's full phone number is one index seek.

Revision ID: 0008
"""
from alembic import op
from sqlalchemy import inspect

from lib.db.schema import console_digest_log

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PHONE_INDEX = "ix_members_phone"


def upgrade() -> None:
    bind = op.get_bind()
    console_digest_log.create(bind, checkfirst=True)
    if PHONE_INDEX not in {ix["name"] for ix in inspect(bind).get_indexes("members")}:
        op.create_index(PHONE_INDEX, "members", ["phone"])


def downgrade() -> None:
    bind = op.get_bind()
    if PHONE_INDEX in {ix["name"] for ix in inspect(bind).get_indexes("members")}:
        op.drop_index(PHONE_INDEX, table_name="members")
    console_digest_log.drop(bind, checkfirst=True)
