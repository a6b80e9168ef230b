"""Settings: `.streamlit/secrets.toml`, overridden by environment variables.

The console reads its secrets file itself (rather than `st.secrets`) so that the
library, the CLI commands and the tests see the same values without Streamlit.
"""
from __future__ import annotations

import math
import os
import secrets as random_source
from collections import Counter
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


MIN_COOKIE_KEY_BITS = 100  # Shannon estimate over the key's characters
MIN_COOKIE_KEY_DISTINCT = 10


def _configured_cookie_key() -> str | None:
    return os.environ.get(ENV_COOKIE_KEY) or secrets().get("auth", {}).get("cookie_key")


def _normalised(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def cookie_key_problem(key: str | None) -> str | None:
    """Why `key` may not sign login cookies (one line), or None if it may.

    Refused: missing; leading or trailing white space; shorter than 32 bytes;
    anything containing the example key or its words ("change me"), in any
    case or punctuation; and keys of low entropy (few distinct characters or
    under 100 bits by a Shannon estimate, e.g. 32 x "a" or a repeated word).
    """
    if not key:
        return f"no cookie key is set ({ENV_COOKIE_KEY} or [auth] cookie_key)"
    if key != key.strip():
        return "the cookie key starts or ends with white space"
    if len(key.encode()) < MIN_COOKIE_KEY_BYTES:
        return f"the cookie key is {len(key.encode())} bytes; it needs at least {MIN_COOKIE_KEY_BYTES}"
    normal = _normalised(key)
    if _normalised(EXAMPLE_COOKIE_KEY) in normal or "changeme" in normal:
        return "the cookie key is (derived from) the example key"
    counts = Counter(key)
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if len(counts) < MIN_COOKIE_KEY_DISTINCT or bits < MIN_COOKIE_KEY_BITS:
        return "the cookie key has too little randomness (repeated or few distinct characters)"
    return None


def cookie_key(url: str | None = None) -> str:
    """The key that signs login cookies.

    Production refuses a key `cookie_key_problem` finds fault with. The demo
    database gets a random key of its own, kept beside it in `data/` (never in
    git), unless a good one is configured.
    """
    key = _configured_cookie_key()
    problem = cookie_key_problem(key)
    if problem is None:
        return key
    if not is_demo(url):
        raise ConfigError(f"{problem}. {COOKIE_KEY_HINT}")
    return _demo_cookie_key()


COOKIE_KEY_HINT = (
    f"Set {ENV_COOKIE_KEY} or [auth] cookie_key of .streamlit/secrets.toml to at least "
    f"{MIN_COOKIE_KEY_BYTES} random bytes: python -c \"import secrets; print(secrets.token_urlsafe(48))\"")


def startup_problem() -> str | None:
    """The one-line reason the console must not start with this configuration, or None."""
    try:
        cookie_key()
    except ConfigError as error:
        return str(error)
    return None


def _demo_cookie_key() -> str:
    if not DEMO_COOKIE_KEY_PATH.exists():
        DATA_DIR.mkdir(exist_ok=True)
        DEMO_COOKIE_KEY_PATH.write_text(random_source.token_urlsafe(48))
        DEMO_COOKIE_KEY_PATH.chmod(0o600)
    return DEMO_COOKIE_KEY_PATH.read_text().strip()


ENV_COOKIE_SECURE = "CONSOLE_COOKIE_SECURE"


def cookie_secure() -> bool:
    """Mark the login cookie `Secure` (sent over HTTPS only): set it when the
    console is served over HTTPS (`CONSOLE_COOKIE_SECURE=true` or
    `[auth] cookie_secure = true`)."""
    configured = secrets().get("auth", {}).get("cookie_secure", False)
    value = os.environ.get(ENV_COOKIE_SECURE)
    return value.strip().lower() in ("1", "true", "yes") if value is not None else bool(configured)
