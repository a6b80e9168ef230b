"""CSV exports: Excel-friendly, injection-safe, no ID card numbers, phones masked."""
import pandas as pd
import pytest

from lib.export import csv_bytes, neutralise, safe_frame


def _text(frame: pd.DataFrame) -> str:
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would garble Chinese"
    return data[3:].decode("utf-8")


def test_chinese_survives_with_a_bom():
    assert "宁波市海曙区" in _text(pd.DataFrame({"城市": ["宁波市海曙区"]}))


@pytest.mark.parametrize("cell,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+86", "'+86"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"),
    ("plain", "plain"), ("a=b", "a=b"), ("", ""),
    (-5, -5), (3.5, 3.5), (None, None),
])
def test_formula_starts_are_neutralised(cell, expected):
    assert neutralise(cell) == expected


def test_formula_cells_and_headers_in_the_file():
    text = _text(pd.DataFrame({"=bad": ["=1+2"], "n": [-3]}))
    assert text.splitlines()[0] == "'=bad,n"
    assert text.splitlines()[1] == "'=1+2,-3", "numbers stay numbers; text formulas are quoted"


def test_phone_numbers_are_masked():
    text = _text(pd.DataFrame({"name": ["张三"], "phone": ["13812345678"], "engineer_phone": ["13900001111"]}))
    assert "13812345678" not in text and "138****5678" in text
    assert "13900001111" not in text and "139****1111" in text


def test_id_card_numbers_never_leave():
    frame = pd.DataFrame({"name": ["李师傅"], "id_card_no": ["33020619880517123X"]})
    assert "id_card_no" not in safe_frame(frame).columns
    assert "33020619880517123X" not in _text(frame)
    assert "id_card_no" in frame.columns, "the caller's frame is left alone"
