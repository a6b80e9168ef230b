"""Settings: `.streamlit/secrets.toml`, overridden by environment variables.

The console reads its secrets file itself (rather than `st.secrets`) so that the
library, the CLI commands and the tests see the same values without Streamlit.
"""
from __future__ import annotations

import os
import secrets as random_source
import tomllib
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DB_PATH = DATA_DIR / "service.db"
DEMO_DB_URL = f"sqlite:///{DEMO_DB_PATH}"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEMO_COOKIE_KEY_PATH = DATA_DIR / ".cookie_key"
EXAMPLE_COOKIE_KEY = "change-me-to-at-least-32-random-bytes"
MIN_COOKIE_KEY_BYTES = 32

ENV_DB_URL = "SERVICE_DB_URL"
ENV_COOKIE_KEY = "CONSOLE_COOKIE_KEY"
ENV_LANGUAGE = "CONSOLE_LANGUAGE"
ENV_SECRETS_FILE = "CONSOLE_SECRETS_FILE"


class ConfigError(RuntimeError):
    """The console cannot start with the configuration it was given."""


@lru_cache(maxsize=4)
def _read_secrets(path: str) -> dict:
    file = Path(path)
    if not file.exists():
        return {}
    with file.open("rb") as handle:
        return tomllib.load(handle)


def secrets() -> dict:
    return _read_secrets(os.environ.get(ENV_SECRETS_FILE, str(SECRETS_PATH)))


def database_url() -> str:
    """Environment first, then `[connections.service_db] url`, then the demo file."""
    configured = secrets().get("connections", {}).get("service_db", {}).get("url")
    return os.environ.get(ENV_DB_URL) or configured or DEMO_DB_URL


def is_demo(url: str | None = None) -> bool:
    return (url or database_url()) == DEMO_DB_URL


def default_language() -> str:
    configured = secrets().get("console", {}).get("language")
    return os.environ.get(ENV_LANGUAGE) or configured or "zh_CN"


def cookie_key(url: str | None = None) -> str:
    """The key that signs login cookies.

    Production refuses a missing, short or example key. The demo database gets
    a random key of its own, kept beside it in `data/` (never in git).
    """
    key = os.environ.get(ENV_COOKIE_KEY) or secrets().get("auth", {}).get("cookie_key")
    if key and key != EXAMPLE_COOKIE_KEY and len(key.encode()) >= MIN_COOKIE_KEY_BYTES:
        return key
    if not is_demo(url):
        raise ConfigError(
            f"Set a cookie key of at least {MIN_COOKIE_KEY_BYTES} random bytes in "
            f"{ENV_COOKIE_KEY} or [auth] cookie_key of .streamlit/secrets.toml "
            "(for example: python -c \"import secrets; print(secrets.token_urlsafe(48))\")."
        )
    return _demo_cookie_key()


def _demo_cookie_key() -> str:
    if not DEMO_COOKIE_KEY_PATH.exists():
        DATA_DIR.mkdir(exist_ok=True)
        DEMO_COOKIE_KEY_PATH.write_text(random_source.token_urlsafe(48))
        DEMO_COOKIE_KEY_PATH.chmod(0o600)
    return DEMO_COOKIE_KEY_PATH.read_text().strip()
