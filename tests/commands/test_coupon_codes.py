"""Coupon codes: unguessable, no look-alikes, every single typo and adjacent swap caught."""
from __future__ import annotations

import random

import pytest

from lib.commands.coupon_codes import (ALPHABET, CODE_LENGTH, check_character, format_code,
                                       generate_code, is_valid_code, normalize_code)

SAMPLES = [generate_code() for _ in range(40)] + ["2" * 12 + check_character("2" * 12),
                                                  "Z" * 12 + check_character("Z" * 12)]


def test_alphabet_has_no_look_alikes():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31
    assert ALPHABET == ALPHABET.upper()


@pytest.mark.parametrize("code", SAMPLES)
def test_every_single_substitution_is_caught(code):
    assert is_valid_code(code)
    for position in range(CODE_LENGTH):
        for other in ALPHABET:
            if other != code[position]:
                typo = code[:position] + other + code[position + 1:]
                assert not is_valid_code(typo), f"{typo} (from {code}) passed"


@pytest.mark.parametrize("code", SAMPLES)
def test_every_adjacent_transposition_is_caught(code):
    for position in range(CODE_LENGTH - 1):
        a, b = code[position], code[position + 1]
        if a != b:
            swapped = code[:position] + b + a + code[position + 2:]
            assert not is_valid_code(swapped), f"{swapped} (from {code}) passed"


def test_exhaustive_single_errors_on_random_bodies():
    rng = random.Random(7)
    for _ in range(300):
        body = "".join(rng.choice(ALPHABET) for _ in range(12))
        code = body + check_character(body)
        position = rng.randrange(CODE_LENGTH)
        replacement = rng.choice([c for c in ALPHABET if c != code[position]])
        assert not is_valid_code(code[:position] + replacement + code[position + 1:])


def test_codes_are_unique_over_many_draws():
    codes = [generate_code() for _ in range(50_000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes[:1000])


def test_normalize_accepts_what_people_type():
    code = generate_code()
    assert normalize_code(f" {format_code(code).lower()} ") == code
    assert is_valid_code(format_code(code)) and is_valid_code(code.lower())
    assert format_code(code).count("-") == 3


@pytest.mark.parametrize("junk", [None, 12, b"ABC", "", "short", "0" * 13, ["A"] * 13, "Ä" * 13])
def test_invalid_input_is_just_invalid(junk):
    assert is_valid_code(junk) is False
    assert isinstance(normalize_code(junk), str)
