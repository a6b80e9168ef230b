"""A user's stored UI language (console_users.language), on every backend."""
import pytest

from lib.auth.demo_users import SYSTEM
from lib.auth.preferences import store_language, stored_language
from lib.auth.users import create_user


def test_language_is_stored_per_user(engine):
    for name in ("li.na", "wang.wu"):
        create_user(engine, actor=SYSTEM, username=name, display_name=name, roles=["manager"],
                    password="a-long-password-2026", must_change_password=False)
    assert stored_language(engine, "li.na") is None, "no choice yet: the console's default"
    store_language(engine, "li.na", "en")
    assert stored_language(engine, "li.na") == "en"
    assert stored_language(engine, "wang.wu") is None
    store_language(engine, "li.na", "zh_CN")
    assert stored_language(engine, "li.na") == "zh_CN"
    assert stored_language(engine, "nobody") is None
    with pytest.raises(ValueError):
        store_language(engine, "li.na", "fr")
