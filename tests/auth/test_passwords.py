"""Passwords longer than bcrypt's 72 bytes (issue 18, item 6): never a match,
and they cost the same bcrypt time as any wrong password instead of failing at once."""
import time

from lib.auth.passwords import MAX_PASSWORD_BYTES, hash_password, password_matches

HASH = hash_password("correct-horse-1")


def _cpu(call, tries=3) -> float:
    best = float("inf")
    for _ in range(tries):
        started = time.thread_time()
        call()
        best = min(best, time.thread_time() - started)
    return best


def test_a_password_over_72_bytes_costs_a_full_check_and_never_matches():
    long_password = "correct-horse-1" + "x" * (MAX_PASSWORD_BYTES + 10)
    assert password_matches(long_password, HASH) is False
    wrong = _cpu(lambda: password_matches("wrong-horse-1", HASH))
    long = _cpu(lambda: password_matches(long_password, HASH))
    assert long >= 0.5 * wrong, f"long {long * 1000:.0f} ms vs wrong {wrong * 1000:.0f} ms"


def test_a_72_byte_password_prefix_does_not_open_the_account():
    exact = "a1" * 36  # 72 bytes
    stored = hash_password(exact)
    assert password_matches(exact, stored)
    assert not password_matches(exact + "extra", stored)
