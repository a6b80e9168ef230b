"""A console user's own settings kept in `console_users`: the UI language."""
from __future__ import annotations

from sqlalchemy import Engine, select, update

from lib.db.schema import console_users
from lib.i18n import LANGUAGES


def stored_language(engine: Engine, username: str) -> str | None:
    """The language `username` last chose, or None (never chose, unknown user)."""
    with engine.connect() as connection:
        value = connection.execute(select(console_users.c.language)
                                   .where(console_users.c.username == username)).scalar()
    return value if value in LANGUAGES else None


def store_language(engine: Engine, username: str, language: str) -> None:
    """Remember `language` for `username` (an unknown language is refused)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    with engine.begin() as connection:
        connection.execute(update(console_users).where(console_users.c.username == username)
                           .values(language=language))
