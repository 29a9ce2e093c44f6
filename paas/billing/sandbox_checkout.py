"""The sandbox provider's hosted checkout page, which our own app serves in sandbox mode
only (with Stripe, Stripe hosts it). The card number goes to the sandbox and no further."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from iaas.payments import PaymentProviderError
from iaas.payments.sandbox import CardResult, SandboxGateway, SandboxSession
from paas.errors import N_, InvalidInput, NotFound

if TYPE_CHECKING:
    from paas.platform import Platform

_EXPIRY = re.compile(r"^(0[1-9]|1[0-2])\s*/\s*(\d{2})$")
_CVC = re.compile(r"^\d{3,4}$")


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
    if not _EXPIRY.match((expiry or "").strip()):
        raise InvalidInput(N_("Enter the card's expiry date as MM/YY."), field="expiry")
    if not _CVC.match((cvc or "").strip()):
        raise InvalidInput(N_("Enter the 3 or 4 digit security code."), field="cvc")
    try:
        result = _sandbox(platform).pay(session_id, card_number)
    except PaymentProviderError:
        raise InvalidInput(N_("This checkout is closed. Go back and start the payment again.")) from None
    if not result.paid and result.decline_code is None:
        raise InvalidInput(N_("This is a test checkout: use one of the test cards shown."), field="card_number")
    return result
