"""Errors a user can act on. Each carries a message key (see `lib.i18n`) and
the values the message needs, so the UI can say it in the user's language.

Commands raise these before writing anything, or inside their transaction so
that nothing is left behind.
"""
from __future__ import annotations


class UserFacingError(Exception):
    """Base: `key` names a message in the catalogue, `params` fill it in."""

    def __init__(self, key: str, **params):
        super().__init__(f"{key} {params}" if params else key)
        self.key = key
        self.params = params


class ValidationFailed(UserFacingError):
    """The input is not acceptable; the message says what to fix."""


class Conflict(UserFacingError):
    """Someone else already acted on the record; the message says who, what and when."""


class NotFound(UserFacingError):
    """The record does not exist (any more)."""


class ServiceUnavailable(UserFacingError):
    """The database is down or locked; nothing was changed."""


class OutcomeUnknown(ServiceUnavailable):
    """The database stopped answering while the change was being committed: it may or may
    not have been saved. The user is told to check the list; a retry of the same decision
    is safe (the commands recognise their own earlier attempt)."""


class Problems(ValidationFailed):
    """Several things to fix at once; `problems` holds each as its own error."""

    def __init__(self, problems: list[UserFacingError]):
        super().__init__("forms.problems", count=len(problems))
        self.problems = list(problems)
