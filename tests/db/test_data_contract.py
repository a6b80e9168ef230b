"""docs/data-contract.md documents every table and column of lib/db/schema.py, and nothing else."""
import re
from pathlib import Path

from lib.db import schema

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "data-contract.md"
TABLE_HEADING = re.compile(r"^### `(\w+)`")
COLUMN_ROW = re.compile(r"^\| `(\w+)` \|")


def documented_tables(text: str) -> dict[str, list[str]]:
    """{table: [columns]} from the `### `table`` sections and their `| `column` |` rows."""
    tables: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if heading := TABLE_HEADING.match(line):
            current = tables.setdefault(heading.group(1), [])
        elif line.startswith("#"):
            current = None
        elif current is not None and (row := COLUMN_ROW.match(line)):
            current.append(row.group(1))
    return tables


def test_the_parser_reads_sections_and_rows():
    text = "### `a`\n| column |\n|---|\n| `x` | t |\n| `y` | t |\n## other\n| `z` | t |\n"
    assert documented_tables(text) == {"a": ["x", "y"]}


def test_every_table_of_the_schema_is_documented_and_no_other():
    documented = documented_tables(CONTRACT.read_text(encoding="utf-8"))
    assert sorted(documented) == sorted(schema.metadata.tables), \
        "docs/data-contract.md and lib/db/schema.py list different tables"


def test_every_column_is_documented_in_schema_order():
    documented = documented_tables(CONTRACT.read_text(encoding="utf-8"))
    for name, table in schema.metadata.tables.items():
        assert documented.get(name) == [column.name for column in table.columns], \
            f"docs/data-contract.md: the columns of {name} differ from lib/db/schema.py"
