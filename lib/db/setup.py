"""Creating the schema: the platform's tables for the demo, migrations for ours.

On a production database the service tables already exist (the platform owns
them); the console only runs its Alembic migrations there, which add its own
tables and the KPI indexes. The demo plays the platform and creates the
service tables itself first.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from lib.db.schema import SERVICE_TABLES, metadata

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_service_schema(engine: Engine) -> None:
    """The platform's tables with their KPI indexes (demo and tests only)."""
    metadata.create_all(engine, tables=list(SERVICE_TABLES))


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the console's own tables and indexes up to the newest revision."""
    command.upgrade(alembic_config(engine), "head")


def create_all(engine: Engine) -> None:
    create_service_schema(engine)
    migrate(engine)
