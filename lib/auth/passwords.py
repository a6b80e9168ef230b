"""bcrypt hashing, and the password rules the console enforces."""
from __future__ import annotations

import bcrypt

from lib.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_BYTES = 72  # bcrypt ignores anything longer; refuse rather than truncate


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def password_matches(password: str, password_hash: str) -> bool:
    """True if `password` is the one hashed. A password longer than bcrypt's 72
    bytes never matches (no such password can be set) but costs the same
    bcrypt time as any wrong one, instead of failing at once."""
    encoded = password.encode()
    if len(encoded) > MAX_PASSWORD_BYTES:
        _burn(encoded[:MAX_PASSWORD_BYTES])
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode())
    except ValueError:  # a malformed hash never matches
        return False


def _burn(encoded: bytes) -> None:
    try:
        bcrypt.checkpw(encoded, _DUMMY_HASH.encode())
    except ValueError:
        pass


# Checked against when the user does not exist, so that an unknown user name
# costs the same bcrypt time as a wrong password and timing reveals nothing.
_DUMMY_HASH = hash_password("no user has this password")


def burn_equal_time(password: str) -> None:
    password_matches(password, _DUMMY_HASH)


def validate_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("auth.password_too_short", minimum=MIN_PASSWORD_LENGTH)
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise ValidationFailed("auth.password_too_long", maximum=MAX_PASSWORD_BYTES)
    if password != password.strip():
        raise ValidationFailed("auth.password_spaces")
    if password.isdigit() or password.isalpha():
        raise ValidationFailed("auth.password_too_simple")
