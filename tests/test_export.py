"""CSV exports: Excel-friendly, injection-safe, no ID card numbers, phones masked."""
import pandas as pd
import pytest

from lib.export import csv_bytes, file_name_part, neutralise, safe_frame, zip_bytes


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


@pytest.mark.parametrize("name,expected", [
    ("美的", "美的"), ("Haier", "Haier"), ("../../x", "x"), ("a/b\\c", "a_b_c"),
    ("..", "_"), ("x\x00y\r\nz", "x_y_z"), ("-rf", "rf"), ("A" * 100, "A" * 60),
])
def test_a_data_value_in_a_file_name_keeps_no_path_or_control_character(name, expected):
    assert file_name_part(name) == expected


def test_zip_entries_from_hostile_brand_names_stay_in_the_folder_and_never_overwrite():
    import io
    import zipfile
    brands = ["../../x", "..\\..\\x", "x", "美的"]
    data = zip_bytes((f"parts-{file_name_part(b)}.csv", b.encode()) for b in brands)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == ["parts-x.csv", "parts-x_2.csv", "parts-x_3.csv", "parts-美的.csv"]
        assert [archive.read(n).decode() for n in names] == brands


def test_zip_refuses_a_name_with_a_path():
    with pytest.raises(ValueError):
        zip_bytes([("../evil.csv", b"")])
