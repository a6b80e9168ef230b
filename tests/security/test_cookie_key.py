"""The cookie key is checked at start (issue 18, item 5): a missing, short,
example-derived or low-entropy key stops the console before it serves, with a
one-line reason; the demo keeps its generated key."""
import os
import secrets
import subprocess
import sys
import urllib.request

import pytest

from lib import config
from tests.browser_support import ROOT, _free_port, _wait_healthy

BAD_KEYS = {
    "missing": "",
    "31 bytes": secrets.token_urlsafe(48)[:31],
    "example": config.EXAMPLE_COOKIE_KEY,
    "example with a leading space": " " + config.EXAMPLE_COOKIE_KEY,
    "example in capitals": config.EXAMPLE_COOKIE_KEY.upper().replace("-", "_"),
    "32 x a": "a" * 32,
    "a repeated word": "password" * 5,
}


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv(config.ENV_DB_URL, f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv(config.ENV_SECRETS_FILE, str(tmp_path / "none.toml"))


@pytest.mark.parametrize("name", list(BAD_KEYS))
def test_bad_keys_are_refused_in_production(production, monkeypatch, name):
    monkeypatch.setenv(config.ENV_COOKIE_KEY, BAD_KEYS[name])
    with pytest.raises(config.ConfigError) as refused:
        config.cookie_key()
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("key", [secrets.token_urlsafe(48), secrets.token_hex(16),
                                 secrets.token_hex(32)])
def test_random_keys_are_accepted(production, monkeypatch, key):
    monkeypatch.setenv(config.ENV_COOKIE_KEY, key)
    assert config.cookie_key() == key


def test_the_demo_keeps_its_generated_key(monkeypatch, tmp_path):
    monkeypatch.setenv(config.ENV_SECRETS_FILE, str(tmp_path / "none.toml"))
    monkeypatch.delenv(config.ENV_DB_URL, raising=False)
    monkeypatch.setenv(config.ENV_COOKIE_KEY, "a" * 32)
    monkeypatch.setattr(config, "DEMO_COOKIE_KEY_PATH", tmp_path / ".cookie_key")
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    key = config.cookie_key()
    assert key != "a" * 32 and config.cookie_key_problem(key) is None
    assert config.cookie_key() == key


def _start(env_key: str, tmp_path):
    port = _free_port()
    env = {**os.environ, "SERVICE_DB_URL": f"sqlite:///{tmp_path / 'prod.db'}",
           "CONSOLE_COOKIE_KEY": env_key, "CONSOLE_SECRETS_FILE": str(tmp_path / "none.toml")}
    process = subprocess.Popen(
        [sys.executable, "-m", "lib.serve", "--server.port", str(port), "--server.address",
         "127.0.0.1"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("name", ["missing", "example with a leading space", "32 x a"])
def test_the_server_refuses_to_start_with_a_bad_key(tmp_path, name):
    process, base = _start(BAD_KEYS[name], tmp_path)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 2
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "not starting" in lines[0] and "cookie key" in lines[0], stderr
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)


def test_the_server_starts_with_a_good_key(tmp_path):
    process, base = _start(secrets.token_urlsafe(48), tmp_path)
    try:
        _wait_healthy(base, process, timeout=120)
    finally:
        process.terminate()
        process.wait(timeout=30)
