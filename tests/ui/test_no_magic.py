"""Streamlit's "magic" is off (.streamlit/config.toml): it re-parsed every page script
with `ast` each time the script cache was empty, for a feature no page uses. These
tests keep both true: with magic off, a bare expression on its own line would
silently show nothing, so no page may have one."""
import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "Home.py", *sorted((ROOT / "pages").glob("*.py"))]


def test_magic_is_off_in_the_shipped_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["magicEnabled"] is False


def _bare_expressions(source: str) -> list[int]:
    """Lines of the statements magic would have written to the page: expressions on
    their own line that are not calls, awaits, yields or docstrings."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if not isinstance(body, list):
                continue
            for index, statement in enumerate(body):
                if not isinstance(statement, ast.Expr):
                    continue
                value = statement.value
                if isinstance(value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)):
                    continue
                docstring = (index == 0 and isinstance(value, ast.Constant) and isinstance(value.value, str)
                             and isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)))
                if not docstring:
                    lines.append(statement.lineno)
    return lines


def test_the_check_finds_what_magic_would_show():
    assert _bare_expressions('"""doc"""\nx = 1\nx\nst.write(x)\n"text"\n') == [3, 5]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_page_relies_on_magic(script):
    assert _bare_expressions(script.read_text()) == [], \
        f"{script.name}: a bare expression shows nothing with magic off; use st.write"
