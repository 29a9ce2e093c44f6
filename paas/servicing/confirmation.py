"""What confirming a request with a code came to, for any channel to render (web, console,
API, and the SMS reply): the engine decides and keeps the count of wrong codes; a front end
only shows ``message`` in its user's language."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from paas.errors import N_

if TYPE_CHECKING:
    from paas.servicing.models import ServiceRequest

CONFIRMED = "confirmed"  # applied, or sent on to a colleague's review (also a replay)
WRONG_CODE = "wrong_code"  # counted; ``attempts_left`` more may be tried
WRONG_CONTACT_CODE = "wrong_contact_code"  # the first code was right, the new contact's was not (counted too)
LOCKED = "locked"  # too many wrong codes: the request has ended
CODE_EXPIRED = "code_expired"  # the code is too old: a new one may be asked for
EXPIRED = "expired"  # the request waited too long for its code and has ended
ENDED = "ended"  # cancelled, rejected or expired before: nothing to confirm

MESSAGES = {
    WRONG_CODE: N_("That code is not right. You have %(left)s more tries."),
    WRONG_CONTACT_CODE: N_("The code sent to the new contact is not right. You have %(left)s more tries."),
    LOCKED: N_("Too many wrong codes. This request has ended; please start it again."),
    CODE_EXPIRED: N_("That code has expired. Ask for a new code."),
    EXPIRED: N_("This request was not confirmed in time and has ended. Please start it again."),
    ENDED: N_("Request %(reference)s is no longer waiting for this."),
}
WRONG_AUTHENTICATOR = N_("That authenticator code is not right. You have %(left)s more tries.")


@dataclass(frozen=True)
class Confirmation:
    request: "ServiceRequest"
    result: str
    attempts_left: int = 0

    @property
    def confirmed(self) -> bool:
        return self.result == CONFIRMED

    @property
    def field(self) -> str:
        """Which code the message is about: the form field to mark."""
        return "contact_code" if self.result == WRONG_CONTACT_CODE else "code"

    @property
    def message(self) -> str | None:
        """The message id to show (None when confirmed); its placeholders are ``params``."""
        if self.result == WRONG_CODE and self.request.step_up == "totp":
            return WRONG_AUTHENTICATOR
        return MESSAGES.get(self.result)

    @property
    def params(self) -> dict:
        return {"left": self.attempts_left, "reference": self.request.reference}
