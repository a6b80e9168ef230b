"""The production settings that close known holes stay set (STACK.md), and no
page or library code opts out of Streamlit's HTML escaping."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = [
    ("server", "enableXsrfProtection", True),
    ("server", "enableCORS", True),  # Streamlit's WebSocket origin check depends on it
    ("server", "fileWatcherType", "none"),
    ("client", "showErrorDetails", "none"),
    ("client", "toolbarMode", "viewer"),
    ("client", "showSidebarNavigation", False),
    ("browser", "gatherUsageStats", False),
]


@pytest.fixture(scope="module")
def config() -> dict:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("section,key,value", REQUIRED, ids=[f"{s}.{k}" for s, k, _ in REQUIRED])
def test_production_setting(config, section, key, value):
    assert config.get(section, {}).get(key) == value, \
        f"[{section}] {key} must be {value!r} in .streamlit/config.toml"


def test_no_code_opts_out_of_html_escaping():
    pattern = re.compile(r"unsafe_allow_html\s*=\s*True")
    files = [ROOT / "Home.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "lib").rglob("*.py")]
    offenders = [str(f.relative_to(ROOT)) for f in files if pattern.search(f.read_text())]
    assert not offenders, f"unsafe_allow_html=True in {offenders}"


def test_no_code_renders_raw_html():
    # st.html and components.html inject markup without escaping.
    pattern = re.compile(r"\bst\.html\(|components\.v1\.html\(|components\.html\(")
    files = [ROOT / "Home.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "lib").rglob("*.py")]
    offenders = [str(f.relative_to(ROOT)) for f in files if pattern.search(f.read_text())]
    assert not offenders, f"raw HTML rendering in {offenders}"
