"""The sandbox provider's hosted checkout page, which our own app serves in sandbox mode
only (with Stripe, Stripe hosts it). The card number goes to the sandbox and no further."""
from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from iaas.payments import PaymentProviderError
from iaas.payments.sandbox import CardResult, SandboxGateway, SandboxSession
from paas.errors import N_, InvalidInput, NotFound

if TYPE_CHECKING:
    from paas.platform import Platform

_EXPIRY = re.compile(r"^(0[1-9]|1[0-2])\s*/\s*(\d{2})$")
_CVC = re.compile(r"^\d{3,4}$")


def _expired(month: int, year: int, today: date) -> bool:
    """A card is valid to the end of the month it shows."""
    return (year, month) < (today.year, today.month)


def _sandbox(platform: "Platform") -> SandboxGateway:
    if not isinstance(platform.payments, SandboxGateway):
        raise NotFound(N_("We could not find that page."))
    return platform.payments


def sandbox_session(platform: "Platform", session_id: str) -> SandboxSession:
    session = _sandbox(platform).session(session_id)
    if session is None:
        raise NotFound(N_("We could not find that page."))
    return session


def pay_sandbox_checkout(platform: "Platform", session_id: str, card_number: str, expiry: str, cvc: str) -> CardResult:
    session = sandbox_session(platform, session_id)
    if session.status != "open":
        raise InvalidInput(N_("This checkout is closed. Go back and start the payment again."))
    match = _EXPIRY.match((expiry or "").strip())
    if not match:
        raise InvalidInput(N_("Enter the card's expiry date as MM/YY."), field="expiry")
    if _expired(int(match[1]), 2000 + int(match[2]), platform.clock.today()):
        # As Stripe's test mode: any test card with a past expiry date is refused on the form.
        raise InvalidInput(N_("This card has expired: its expiry date %(expiry)s is in the past. Use a card that is still valid."),
                           field="expiry", expiry=match[0].replace(" ", ""))
    if not _CVC.match((cvc or "").strip()):
        raise InvalidInput(N_("Enter the 3 or 4 digit security code."), field="cvc")
    try:
        result = _sandbox(platform).pay(session_id, card_number)
    except PaymentProviderError:
        raise InvalidInput(N_("This checkout is closed. Go back and start the payment again.")) from None
    if not result.paid and result.decline_code is None:
        raise InvalidInput(N_("This is a test checkout: use one of the test cards shown."), field="card_number")
    return result
