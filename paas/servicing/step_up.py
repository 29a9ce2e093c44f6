"""Step-up for a servicing request: a one-time code by SMS to the mobile already on file, or
the acting clerk's authenticator code in the console. A change that brings in a new mobile or
e-mail also sends a second code to it: both must come back (one proves the customer, the other
that the new contact is theirs)."""
from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.errors import N_, AuthenticationFailed, InvalidInput, NotPermitted, TooManyAttempts
from paas.i18n import translate
from paas.messaging import outbox
from paas.security import totp
from paas.security.models import Account
from paas.security.principal import Principal
from paas.servicing.models import ServiceRequest

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
CODE_SMS = N_("[Pinghe Life] Your confirmation code is %(code)s for request %(reference)s (%(what)s). "
              "It expires in 10 minutes. Never share it with anyone who calls you.")
WRONG_CODE = N_("That code is not right. Please check the SMS and try again.")
EXPIRED_CODE = N_("That code has expired. Please start the request again.")
TOO_MANY_CODES = N_("Too many wrong codes. Please start the request again.")
STAFF_CONFIRMS = N_("Our colleague who entered this request confirms it with their authenticator.")
NO_MOBILE = N_("We have no mobile number to send a confirmation code to. Please call us to add one.")
CONTACT_CODE = N_("[Pinghe Life] Your code to confirm this new contact is %(code)s (request %(reference)s). "
                  "It expires in 10 minutes.")
CONTACT_SUBJECT = N_("Confirm your new e-mail address")
WRONG_CONTACT_CODE = N_("The code sent to the new contact is not right. Please check it and try again.")


def _digest(uow: "UnitOfWork", request: ServiceRequest, code: str) -> str:
    return uow.keyring.blind_index(f"{request.reference}:{code}", context="servicing.code")


def _contact_digest(uow: "UnitOfWork", request: ServiceRequest, code: str) -> str:
    return uow.keyring.blind_index(f"{request.reference}:contact:{code}", context="servicing.code")


def send_code(uow: "UnitOfWork", request: ServiceRequest, recipient: str | None, what: str, locale: str) -> None:
    """``recipient``: the mobile on file (Transaction.code_recipient), never one the change brings."""
    if not recipient:
        raise InvalidInput(NO_MOBILE)
    code = f"{secrets.randbelow(1_000_000):06d}"
    request.code_hash = _digest(uow, request, code)
    request.code_sent_to = recipient
    request.code_expires_at = uow.clock.now() + CODE_LIFETIME
    request.code_attempts = 0
    body = translate(locale, CODE_SMS, code=code, reference=request.reference, what=translate(locale, what))
    outbox.queue(uow, channel="sms", kind="servicing_code", recipient=recipient, body=body, locale=locale,
                 customer_id=request.customer_id)


def send_contact_code(uow: "UnitOfWork", request: ServiceRequest, contact: tuple[str, str], locale: str) -> None:
    """The second code, to the new mobile (SMS) or e-mail address the change brings in."""
    channel, address = contact
    code = f"{secrets.randbelow(1_000_000):06d}"
    request.contact_code_hash = _contact_digest(uow, request, code)
    request.contact_code_sent_to = address
    request.code_expires_at = uow.clock.now() + CODE_LIFETIME  # also when staff confirm with their authenticator
    body = translate(locale, CONTACT_CODE, code=code, reference=request.reference)
    outbox.queue(uow, channel=channel, kind="servicing_contact_code", recipient=address, body=body, locale=locale,
                 subject=translate(locale, CONTACT_SUBJECT) if channel == "email" else None,
                 customer_id=request.customer_id)


def verify_contact(uow: "UnitOfWork", request: ServiceRequest, code: str | None) -> None:
    """The second code, when the request has one (after ``verify`` passed): counted the same way."""
    if request.contact_code_hash is None:
        return
    code = (code or "").strip().replace(" ", "")
    if request.code_attempts >= MAX_ATTEMPTS:
        raise TooManyAttempts(TOO_MANY_CODES, retry_after=0)
    if request.code_expires_at is None or uow.clock.now() > request.code_expires_at:
        raise InvalidInput(EXPIRED_CODE, field="contact_code")
    if not (len(code) == 6 and code.isascii() and code.isdigit()
            and hmac.compare_digest(_contact_digest(uow, request, code), request.contact_code_hash)):
        request.code_attempts += 1
        raise InvalidInput(WRONG_CONTACT_CODE, field="contact_code")


def verify(uow: "UnitOfWork", request: ServiceRequest, who: Principal, code: str) -> None:
    """Raises unless ``code`` confirms the request; counts failures."""
    code = (code or "").strip().replace(" ", "")
    if request.code_attempts >= MAX_ATTEMPTS:
        raise TooManyAttempts(TOO_MANY_CODES, retry_after=0)
    if request.step_up == "totp":
        _verify_totp(uow, request, who, code)
        return
    if request.code_expires_at is None or uow.clock.now() > request.code_expires_at:
        raise InvalidInput(EXPIRED_CODE, field="code")
    if not (len(code) == 6 and code.isascii() and code.isdigit()
            and hmac.compare_digest(_digest(uow, request, code), request.code_hash or "")):
        request.code_attempts += 1
        raise InvalidInput(WRONG_CODE, field="code")


def _verify_totp(uow: "UnitOfWork", request: ServiceRequest, who: Principal, code: str) -> None:
    # Only the colleague who keyed the request holds the authenticator that confirms it; the
    # customer it is for (who has none) is told so instead of reaching a missing secret.
    if not who.is_staff or who.account_id != request.submitted_by:
        raise NotPermitted(STAFF_CONFIRMS)
    account = uow.session.execute(select(Account).where(Account.id == who.account_id).with_for_update()).scalar_one()
    secret = uow.keyring.decrypt(account.totp_secret_cipher, context="account.totp_secret")
    step = totp.matching_step(secret, code, uow.clock.now(), last_step=account.totp_last_step)
    if step is None:
        request.code_attempts += 1  # the same limit as SMS codes: no guessing a 6-digit code
        raise AuthenticationFailed(N_("That authenticator code is not right."))
    account.totp_last_step = step
