"""Migration 0008: the digest log and the members.phone index, and back, on every backend."""
from alembic import command
from sqlalchemy import inspect

from lib.db.setup import alembic_config, migrate


def test_migration_0008_adds_the_digest_log_and_phone_index_and_takes_them_back(engine):
    def state():
        inspector = inspect(engine)
        return ("console_digest_log" in inspector.get_table_names(),
                "ix_members_phone" in {ix["name"] for ix in inspector.get_indexes("members")})
    assert state() == (True, True)
    command.downgrade(alembic_config(engine), "0007")
    assert state() == (False, False)
    migrate(engine)
    assert state() == (True, True)
