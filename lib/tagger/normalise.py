"""Normalise a review before reading it.

- traditional to simplified characters (OpenCC's `t2s` tables, from PyPI: the
  `opencc` package ships its dictionaries);
- full-width letters, digits and punctuation to half-width (NFKC), English
  letters lower-cased; the Chinese full stop and enumeration comma kept;
- common abbreviations and English words of shop talk to their Chinese
  (kf -> 客服, wl -> 物流, refund -> 退款 ...), matched as whole words;
- emoji are kept (they are signals: 👎 💢 👍), and so are English letters that
  are not abbreviations (TDS, app, wifi).
"""
from __future__ import annotations

import functools
import re
import unicodedata

import opencc

# Whole-word abbreviations and English words reviewers mix in (lower case).
ABBREVIATIONS = {
    "kf": "客服", "kfu": "客服", "sh": "售后", "wl": "物流", "kd": "快递", "sf": "顺丰",
    "jd": "京东", "tb": "淘宝", "pdd": "拼多多", "fp": "发票", "zp": "赠品", "sb": "垃圾",
    "delivery": "物流", "refund": "退款", "return": "退货", "invoice": "发票", "gift": "赠品",
    "quality": "质量", "price": "价格", "service": "服务", "nice": "很好", "good": "好",
    "bad": "差", "pending": "待处理", "yyds": "很好",
}
_WORD = re.compile(r"[a-z]+")
_SPACES = re.compile(r"[ \t\u3000]+")


@functools.lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _abbreviation(match: re.Match) -> str:
    word = match.group(0)
    return ABBREVIATIONS.get(word, word)


def normalise(text: str | None) -> str:
    """The review as the tagger reads it (see the module's docstring)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = _converter().convert(text)
    text = _WORD.sub(_abbreviation, text)
    return _SPACES.sub(" ", text).strip()


__all__ = ["ABBREVIATIONS", "normalise"]
