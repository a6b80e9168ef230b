"""No table shows "None" (issue 12): a missing value is a dash, explained in a caption
under the table (lib.ui.draw.dataframe, the one helper every table of the console is
drawn through)."""
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from lib.navigation import PAGES
from lib.ui import draw

ROOT = Path(__file__).resolve().parents[2]


def test_missing_values_become_dashes_numbers_keep_their_format():
    frame = pd.DataFrame({"name": ["a", None, "c"], "stars": [4.567, None, float("nan")],
                          "n": [1, 2, 3], "at": [datetime(2026, 1, 2, 3, 4), None, pd.NaT],
                          "link": ["/x?y=1", None, "/x?y=3"]})
    config = {"stars": st.column_config.NumberColumn(format="%.2f"),
              "link": st.column_config.LinkColumn(display_text=r".*y=(\d+)")}
    shown, dashed, config = draw.without_none(frame, config, "en")
    assert dashed
    assert shown["stars"].tolist() == ["4.57", draw.DASH, draw.DASH], "the column's own format, then dashes"
    assert shown["name"].tolist() == ["a", draw.DASH, "c"]
    assert shown["n"].tolist() == [1, 2, 3], "a column without gaps is left as it is"
    assert shown["at"].tolist()[1:] == [draw.DASH, draw.DASH]
    assert shown["link"].tolist() == ["/x?y=1", "", "/x?y=3"], "a link without a target is blank, not a link"
    assert "stars" not in config and "link" in config
    assert not shown.isna().any().any()


def test_a_frame_without_gaps_is_unchanged():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    shown, dashed, _ = draw.without_none(frame, None, "en")
    assert not dashed and shown.equals(frame)


def test_no_page_draws_a_table_around_the_helper():
    """st.dataframe / st.table only in lib/ui/draw.py: every other table goes through it."""
    offenders = []
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("lib/ui/*.py"), ROOT / "Home.py", ROOT / "lib/charts.py"]:
        if path.name == "draw.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bst\.(dataframe|table)\(|\.(dataframe|table)\(", text.replace("draw.", "")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_no_table_on_any_page_shows_none(open_page, path):
    app = open_page(path, "admin")
    assert not app.exception, app.exception
    for table in [*app.dataframe, *app.table]:
        value = table.value
        assert not value.isna().any().any(), f"{path}: missing cells shown as None: " \
            f"{value.columns[value.isna().any()].tolist()}"
        assert not value.isin(["None", "nan", "NaT"]).any().any(), path
