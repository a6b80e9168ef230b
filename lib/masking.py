"""Masking personal data for display, exports and the audit log (SPEC: never whole)."""
from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """138****5678: the first 3 and last 4 digits, as Chinese apps show them."""
    if not phone:
        return ""
    digits = str(phone)
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_card(number: str | None) -> str:
    """330206********123X: at most the first 6 and the last 4 characters."""
    if not number:
        return ""
    text = str(number)
    if len(text) <= 10:
        return "*" * len(text)
    return f"{text[:6]}{'*' * (len(text) - 10)}{text[-4:]}"


def mask_name(name: str | None) -> str:
    """张*丰: family name and last character, for lists that do not need the whole name."""
    if not name:
        return ""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
