"""Every UI text exists in both languages, and every key the code uses exists."""
import re
import string
from pathlib import Path

import pytest

from lib.i18n import LANGUAGES, catalog, translate
from lib.i18n import formatting as fmt

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*ROOT.glob("lib/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "Home.py"]
# t("key"), translate("key", ...), and errors raised with a message key.
USED_KEY = re.compile(
    r"""(?:\bt|translate|ValidationFailed|Conflict|NotFound|ServiceUnavailable|UserFacingError)\(\s*f?["']([a-z_]+\.[a-z0-9_.]+)["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalog()))
def test_every_message_has_both_languages_with_the_same_placeholders(key):
    texts = catalog()[key]
    assert len(texts) == len(LANGUAGES), f"{key}: expected {len(LANGUAGES)} texts, got {len(texts)}"
    chinese, english = texts
    assert chinese.strip() and english.strip(), f"{key}: a text is empty"
    assert re.search(r"[\u4e00-\u9fff]", chinese), f"{key}: the zh_CN text has no Chinese"
    assert _placeholders(chinese) == _placeholders(english), f"{key}: placeholders differ"


def test_every_key_used_in_code_is_in_the_catalogue():
    used = {}
    for path in SOURCES:
        for key in USED_KEY.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, path.relative_to(ROOT))
    missing = {key: str(path) for key, path in used.items() if key not in catalog()}
    assert used, "the scan found no keys at all: the pattern is broken"
    assert not missing, f"keys used but not defined: {missing}"


def test_missing_key_shows_the_key_rather_than_crashing():
    assert translate("no.such.key", "en") == "no.such.key"


def test_translate_fills_placeholders_per_language():
    assert translate("auth.password_too_short", "en", minimum=10) == "The password needs at least 10 characters."
    assert translate("auth.password_too_short", "zh_CN", minimum=10) == "密码至少需要 10 个字符。"


@pytest.mark.parametrize("language,fen,expected", [
    ("zh_CN", 123456, "¥1,234.56"),
    ("en", 123456, "CN¥1,234.56"),
    ("en", 0, "CN¥0.00"),
])
def test_money_is_yuan_from_fen(language, fen, expected):
    assert fmt.money(fen, language) == expected


def test_fractional_or_missing_fen_are_rounded_or_shown_as_a_dash():
    assert fmt.money_fen(12345.5, "zh_CN") == "¥123.46"   # an average: rounded to whole fen
    assert fmt.money_fen(float("nan"), "zh_CN") == fmt.money_fen(None, "en") == "–"
    assert fmt.yuan(12345.6) == 123.46 and fmt.yuan(float("nan")) is None


def test_numbers_dates_and_percentages_follow_the_language():
    from datetime import date
    assert fmt.number(1234567, "en") == "1,234,567"
    assert fmt.percent(0.9251, "en") == "92.5%"
    assert fmt.day(date(2026, 11, 24), "zh_CN") == "2026年11月24日"
    assert fmt.day(date(2026, 11, 24), "en") == "Nov 24, 2026"
    assert fmt.percent(None, "en") == "–"
