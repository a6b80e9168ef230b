"""Trade-in coupon codes: unguessable, easy to read aloud, typos caught.

A code is 12 random characters and 1 check character from a 31-symbol alphabet
without look-alikes (no 0/O, 1/I/L). With the prime 31 as modulus the check
is a weighted sum: sum((i + 1) * value(c_i) for the 13 characters) ≡ 0 (mod 31).
Every weight 1..13 is non-zero mod 31, so a single wrong character changes the
sum by weight × difference, never 0 mod a prime; swapping neighbours i, i+1
changes it by (a - b) × (w_i - w_{i+1}) = b - a, again never 0 when a ≠ b.
So every single substitution and every adjacent transposition is caught.

12 random symbols give 31**12 ≈ 7.9e17 codes (about 59 bits): not guessable.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 31, a prime
BODY_LENGTH = 12
CODE_LENGTH = BODY_LENGTH + 1
_VALUE = {character: index for index, character in enumerate(ALPHABET)}
_INVERSE_LAST_WEIGHT = pow(CODE_LENGTH, -1, MODULUS)
_SEPARATORS = re.compile(r"[\s\-_.]+")

assert MODULUS == 31 and CODE_LENGTH < MODULUS  # weights 1..13 stay distinct and non-zero


def _weighted_sum(text: str) -> int:
    return sum((position + 1) * _VALUE[character] for position, character in enumerate(text))


def check_character(body: str) -> str:
    """The character that makes `body` + it a valid code (body: 12 alphabet characters)."""
    if len(body) != BODY_LENGTH or any(c not in _VALUE for c in body):
        raise ValueError("body must be 12 characters of the coupon alphabet")
    value = (-_weighted_sum(body) * _INVERSE_LAST_WEIGHT) % MODULUS
    return ALPHABET[value]


def generate_code() -> str:
    """A new random code (13 characters, stored and compared without separators)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_character(body)


def normalize_code(text: object) -> str:
    """What a person typed or pasted, as stored: upper case, no spaces or dashes.

    Never raises; anything that is not text normalises to "".
    """
    if not isinstance(text, str):
        return ""
    return _SEPARATORS.sub("", text).upper()


def is_valid_code(text: object) -> bool:
    """True when `text` (after `normalize_code`) is a well-formed code with a correct check."""
    code = normalize_code(text)
    if len(code) != CODE_LENGTH or any(c not in _VALUE for c in code):
        return False
    return _weighted_sum(code) % MODULUS == 0


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN-P: groups of four for reading aloud and printing."""
    code = normalize_code(code)
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
