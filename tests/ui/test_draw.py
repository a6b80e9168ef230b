"""What a KPI page render no longer does (issue #19): build every table's CSV, and
validate every chart against the Vega-Lite schema again."""
import csv
import io

import altair as alt
import pandas as pd
import pytest

from lib import charts
from lib.ui import chart_specs, draw

KPI_PAGES = ["pages/1_Orders.py", "pages/2_Install_Promise.py", "pages/3_Engineers.py",
             "pages/4_Members.py", "pages/5_Communities.py"]


@pytest.mark.parametrize("path", KPI_PAGES)
def test_a_render_builds_no_csv(open_page, monkeypatch, path):
    built = []
    real = draw.csv_bytes
    monkeypatch.setattr(draw, "csv_bytes", lambda frame: built.append(len(frame)) or real(frame))
    app = open_page(path, "manager")
    assert not app.exception, app.exception
    assert app.get("download_button"), f"{path}: no download button to check"
    assert built == [], f"{path}: {len(built)} CSV payloads built during the render"


def test_unvalidated_chart_gives_the_same_spec_without_validating(monkeypatch):
    frame = pd.DataFrame({"value": ["a", "b"], "orders": [3, 5]})
    spec = charts.bars(frame, category="value", value="orders", category_title="c",
                       value_title="o")
    validated = spec.to_dict()
    calls = []
    real_validate = alt.Chart.validate
    monkeypatch.setattr(alt.Chart, "validate", lambda self, *a, **k: calls.append(1) or
                        real_validate(self, *a, **k), raising=False)
    assert chart_specs.unvalidated(spec).to_dict() == validated
    assert calls == []
    # and the control: the same chart's ordinary to_dict does validate
    charts.bars(frame, category="value", value="orders", category_title="c",
                value_title="o").to_dict()
    assert calls, "the validation hook was never called: the test proves nothing"


@pytest.mark.parametrize("path,language,header", [
    ("pages/2_Install_Promise.py", "en", "Compliance (%)"),
    ("pages/2_Install_Promise.py", "zh_CN", "达成率（%）"),
    ("pages/4_Members.py", "en", "Month 0 (%)"),
    ("pages/3_Engineers.py", "en", "Payouts (yuan)"),
])
def test_a_tables_csv_carries_numbers_under_translated_headers_with_their_unit(open_page, downloads,
                                                                              path, language, header):
    """Every CSV of a KPI table goes through draw.table: its payload, built as on a click,
    has translated headers, the unit in the header, numbers (95.2, 1234.50) and no "None"."""
    payloads = downloads
    app = open_page(path, "admin", language)
    assert not app.exception, app.exception
    texts = {name: (data() if callable(data) else data).decode("utf-8-sig") for name, data in payloads}
    assert texts, "no table CSV on the page"
    for name, text in texts.items():
        cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
        assert not cells & {"None", "nan", "NaN", "NaT", "<NA>"}, (name, text[:300])
        stem = name.rsplit(".", 1)[0]
        assert stem.count("_") >= 2 and stem[-10:-8] == "20", f"{name}: the file name does not say the range"
    with_unit = [text for text in texts.values() if header in text.splitlines()[0].split(",")]
    assert with_unit, f"no CSV headed {header!r}: {[t.splitlines()[0] for t in texts.values()]}"
    numbers = [row.split(",")[text.splitlines()[0].split(",").index(header)]
               for text in with_unit for row in text.splitlines()[1:]]
    assert all(n == "" or float(n) >= 0 for n in numbers), numbers[:10]
    assert any("." in n for n in numbers), "no numbers with decimals: shares as 0-1 fractions or text?"
