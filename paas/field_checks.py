"""Checking a form's fields all at once: each field's check runs, and every field at fault
is reported together (one ``InvalidInput`` carrying them all), so the person corrects the
form once instead of meeting one error per try. An error not tied to a field (the policy's
state, a conflict) still stops the check at once."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from paas.errors import InvalidInput

T = TypeVar("T")


class FieldChecks:
    def __init__(self) -> None:
        self.errors: list[InvalidInput] = []

    def __call__(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """``check(*args, **kwargs)``, or None when it refused a field (kept for ``done``)."""
        try:
            return check(*args, **kwargs)
        except InvalidInput as error:
            if error.field is None:
                raise
            self.errors.append(error)
            return None

    def refuse(self, message: str, field: str, **params: Any) -> None:
        """A field found at fault by the caller itself (a comparison of two fields, say)."""
        self.errors.append(InvalidInput(message, field=field, **params))

    @property
    def ok(self) -> bool:
        return not self.errors

    def done(self) -> None:
        """Raise every field error found, if any."""
        if self.errors:
            raise InvalidInput.of(self.errors)
