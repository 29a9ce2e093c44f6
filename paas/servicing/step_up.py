"""Step-up for a servicing request: a one-time code by SMS to the customer (or to the new
number being verified), or the acting clerk's authenticator code in the console."""
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


def _digest(uow: "UnitOfWork", request: ServiceRequest, code: str) -> str:
    return uow.keyring.blind_index(f"{request.reference}:{code}", context="servicing.code")


def send_code(uow: "UnitOfWork", request: ServiceRequest, recipient: str | None, what: str, locale: str) -> None:
    if not recipient:
        raise InvalidInput(NO_MOBILE)
    code = f"{secrets.randbelow(1_000_000):06d}"
    request.code_hash = _digest(uow, request, code)
    request.code_sent_to = recipient
    request.code_expires_at = uow.clock.now() + CODE_LIFETIME
    request.code_attempts = 0
    # The code is sealed apart from the text, so the outbox (and its console page) never shows it.
    body = translate(locale, CODE_SMS, code=outbox.placeholder("code"), reference=request.reference,
                     what=translate(locale, what))
    outbox.queue(uow, channel="sms", kind="servicing_code", recipient=recipient, body=body, locale=locale,
                 customer_id=request.customer_id, secrets={"code": code})


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
