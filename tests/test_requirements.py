"""Runtime and test dependencies stay apart: a production install carries no test tools."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_ONLY = {"pytest": "pytest", "hypothesis": "hypothesis", "playwright": "playwright",
            "pip-audit": "pip_audit", "psutil": "psutil"}


def _requirements(name: str) -> set[str]:
    names = set()
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r"):
            names.add(line.split("==")[0].split("[")[0].lower())
    return names


def _imported_top_modules(paths) -> set[str]:
    modules = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def test_runtime_requirements_hold_no_test_tools():
    assert not _requirements("requirements.txt") & set(DEV_ONLY)


def test_dev_requirements_add_the_test_tools_on_top_of_the_runtime_set():
    text = (ROOT / "requirements-dev.txt").read_text()
    assert "-r requirements.txt" in text.splitlines()
    assert set(DEV_ONLY) <= _requirements("requirements-dev.txt")


def test_the_console_itself_imports_no_test_tool():
    app_files = [ROOT / "Home.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "lib").rglob("*.py")]
    assert not _imported_top_modules(app_files) & set(DEV_ONLY.values())
