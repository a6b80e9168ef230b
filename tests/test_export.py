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


# -- as a reader wants them (issue 12): numbers under a header that names the unit --------------
def test_shares_become_percent_numbers_under_a_percent_header():
    from lib.export import for_readers
    frame = pd.DataFrame({"city": ["宁波"], "compliance": [0.95234], "other": [3]})
    out = for_readers(frame, {"city": "City", "compliance": "Compliance"}, percent=("compliance",))
    assert list(out.columns) == ["City", "Compliance (%)"], "only the labelled columns, unit in the header"
    assert float(out.iloc[0]["Compliance (%)"]) == 95.2
    assert _text(out).splitlines()[1] == "宁波,95.2"


def test_fen_become_yuan_numbers_with_two_decimals_under_a_yuan_header():
    from lib.export import for_readers
    frame = pd.DataFrame({"payout_fen": [123450, 7], "avg": [1234.56, None]})
    out = for_readers(frame, {"payout_fen": "Payouts", "avg": "Average"}, fen=("payout_fen", "avg"))
    assert list(out.columns) == ["Payouts (yuan)", "Average (yuan)"]
    assert _text(out).splitlines()[1:] == ["1234.50,12.35", "0.07,"], "a missing amount is blank"


def test_a_header_that_already_names_its_unit_keeps_it_once():
    from lib.export import for_readers
    frame = pd.DataFrame({"paid": [100], "share": [0.5]})
    out = for_readers(frame, {"paid": "报酬（元）", "share": "占比"}, fen=("paid",), percent=("share",),
                      percent_unit="（%）", yuan_unit="（元）")
    assert list(out.columns) == ["报酬（元）", "占比（%）"]
    assert _text(out).splitlines()[1] == "1.00,50.0"


def test_missing_shares_are_blank_never_none():
    from lib.export import for_readers
    out = for_readers(pd.DataFrame({"n": [1, 2, 3], "s": [None, float("nan"), 1.0]}), {"n": "N", "s": "S"},
                      percent=("s",))
    assert _text(out).splitlines()[1:] == ["1,", "2,", "3,100.0"]


def test_a_file_name_says_its_range():
    from datetime import date

    from lib.export import ranged_name
    assert ranged_name("orders-by-day", date(2026, 9, 4), date(2026, 12, 2)) == \
        "orders-by-day_2026-09-04_2026-12-02.csv"
    assert ranged_name("parts-../x", date(2026, 1, 1), date(2026, 3, 31), "zip") == \
        "parts-_x_2026-01-01_2026-03-31.zip"
