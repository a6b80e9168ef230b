"""Alembic environment: migrations run on the engine handed in by lib.db.setup."""
from alembic import context

from lib.db.schema import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
