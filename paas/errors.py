"""Errors a service raises for its callers to show. Messages are English message ids,
translated by the front end into the user's language; ``params`` fill their placeholders."""
from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for extraction into the translation catalogue without translating it."""
    return message


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class InvalidInput(DomainError):
    """What was typed is not right. ``errors``: every field at fault at once (the first is
    this one's message and field), so a form can mark them all, not one per try."""

    status = 422
    code = "invalid_input"

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field
        self.errors: tuple[InvalidInput, ...] = (self,)

    @classmethod
    def of(cls, errors: "list[InvalidInput]") -> "InvalidInput":
        """One error carrying several (each with its field)."""
        first = errors[0]
        combined = cls(first.message, field=first.field, **first.params)
        combined.errors = tuple(error for many in errors for error in many.errors)
        return combined


class NotFound(DomainError):
    """Also what another user's object looks like: nobody learns it exists."""

    status = 404
    code = "not_found"


class NotPermitted(DomainError):
    status = 403
    code = "forbidden"


class ServiceUnavailable(DomainError):
    """A provider we depend on did not answer; nothing was done, trying again later is fine."""

    status = 503
    code = "unavailable"


class AuthenticationFailed(DomainError):
    status = 401
    code = "authentication_failed"


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, **params: object) -> None:
        super().__init__(message, minutes=max(1, -(-retry_after // 60)), **params)
        self.retry_after = retry_after
