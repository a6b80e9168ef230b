"""The one way in to the database: `get_engine()`; tables in `lib.db.schema`."""
from lib.db.engine import DatabaseUnavailable, get_engine, make_engine

__all__ = ["DatabaseUnavailable", "get_engine", "make_engine"]
