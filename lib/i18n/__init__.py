"""UI text in Simplified Chinese and English.

Messages live in `lib/i18n/catalog/*.py`, one module per area, each a dict
`MESSAGES = {"key": ("中文", "English")}`; placeholders use `{name}` and must
be the same in both languages (a test checks). `translate()` never raises for
a missing key: it shows the key, so a gap is visible instead of a crash.
The UI (`lib.ui.text.t`) shows parameters as a reader wants them: a name
ending in `_fen` is money (shown in yuan, so messages carry no unit), a
datetime is formatted for the language, and `status`/`decision` values are
put into words.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from lib.i18n import catalog as _catalog_package

LANGUAGES = ("zh_CN", "en")
LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


@lru_cache(maxsize=1)
def catalog() -> dict[str, tuple[str, str]]:
    """Every message of every catalogue module, merged; duplicate keys are an error."""
    merged: dict[str, tuple[str, str]] = {}
    for module_info in pkgutil.iter_modules(_catalog_package.__path__):
        module = importlib.import_module(f"{_catalog_package.__name__}.{module_info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise ValueError(f"message key {key!r} defined twice ({module_info.name})")
            merged[key] = texts
    return merged


def translate(key: str, language: str, **params) -> str:
    texts = catalog().get(key)
    if texts is None:
        return key
    text = texts[LANGUAGES.index(language) if language in LANGUAGES else 0]
    return text.format(**params) if params else text
