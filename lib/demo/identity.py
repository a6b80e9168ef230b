"""Chinese personal identifiers that are valid in form (never real people's)."""
from __future__ import annotations

import random
from datetime import date

# GB 11643-1999: weights of the first 17 digits and the check characters.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151",
                   "152", "157", "158", "159", "177", "180", "181", "186", "187", "188", "199")


def id_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def is_valid_id_card(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    return id_check_character(number[:17]) == number[17]


def id_card_number(rng: random.Random, region_code: str, born: date) -> str:
    """An 18-character resident ID: region, birth date, sequence, check character."""
    first17 = f"{region_code}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_character(first17)


def mobile_number(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
