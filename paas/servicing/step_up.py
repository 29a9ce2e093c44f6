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

from paas.errors import N_, InvalidInput, NotPermitted, TooManyAttempts
from paas.i18n import translate
from paas.messaging import outbox
from paas.security import customer_totp, totp
from paas.security.models import Account
from paas.security.principal import Principal
from paas.servicing.confirmation import CODE_EXPIRED, CONFIRMED, LOCKED, WRONG_CODE, WRONG_CONTACT_CODE
from paas.servicing.models import ServiceRequest

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CODE_LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5
# A new code may be asked for a few times, not in a burst: each is an SMS we pay for and a
# chance for whoever holds the phone to be pestered.
MAX_RESENDS = 3
RESEND_AFTER = timedelta(seconds=60)
CODE_SMS = N_("[Pinghe Life] Your confirmation code is %(code)s for request %(reference)s (%(what)s). "
              "It expires in 5 minutes. Never share it with anyone who calls you.")
NO_MORE_CODES = N_("No more new codes can be sent for this request. Please start the request again.")
RESEND_WAIT = N_("A code was sent less than a minute ago. Please wait a moment before asking for another.")
STAFF_CONFIRMS = N_("Our colleague who entered this request confirms it with their authenticator.")
NO_MOBILE = N_("We have no mobile number to send a confirmation code to. Please call us to add one.")
CONTACT_CODE = N_("[Pinghe Life] Your code to confirm this new contact is %(code)s (request %(reference)s). "
                  "It expires in 5 minutes.")
CONTACT_SUBJECT = N_("Confirm your new e-mail address")


def _digest(uow: "UnitOfWork", request: ServiceRequest, code: str) -> str:
    return uow.keyring.blind_index(f"{request.reference}:{code}", context="servicing.code")


def _contact_digest(uow: "UnitOfWork", request: ServiceRequest, code: str) -> str:
    return uow.keyring.blind_index(f"{request.reference}:contact:{code}", context="servicing.code")


def new_code(uow: "UnitOfWork", request: ServiceRequest, recipient: str | None) -> str:
    """A first code for ``request``, set on it (its digest, where it goes, until when) before
    the request is written, so that it is inserted once with its code; ``queue_code`` then
    sends it. ``recipient``: the mobile on file (Transaction.code_recipient), never one the
    change brings."""
    if not recipient:
        raise InvalidInput(NO_MOBILE)
    request.code_sent_to = recipient
    request.code_attempts = 0
    return _new_code(uow, request)


def new_contact_code(uow: "UnitOfWork", request: ServiceRequest, contact: tuple[str, str]) -> str:
    """The second code, for the new mobile (SMS) or e-mail address the change brings in, set
    on the request as ``new_code``; ``queue_contact_code`` sends it."""
    request.contact_code_sent_to = contact[1]
    return _new_contact_code(uow, request)


def resend_code(uow: "UnitOfWork", request: ServiceRequest, what: str, locale: str) -> None:
    """A new code to where the first one went (the old one stops working): at most
    ``MAX_RESENDS`` times, and not within ``RESEND_AFTER`` of the last one."""
    if (request.code_resends or 0) >= MAX_RESENDS:
        raise InvalidInput(NO_MORE_CODES, field="code")
    sent_at = request.code_expires_at - CODE_LIFETIME if request.code_expires_at else None
    if sent_at is not None and uow.clock.now() < sent_at + RESEND_AFTER:
        wait = sent_at + RESEND_AFTER - uow.clock.now()
        raise TooManyAttempts(RESEND_WAIT, retry_after=max(1, int(wait.total_seconds())))
    request.code_resends = (request.code_resends or 0) + 1
    _send(uow, request, what, locale)
    if request.contact_code_sent_to:  # both codes anew: the new contact's too
        _send_contact(uow, request, "email" if "@" in request.contact_code_sent_to else "sms", locale)


def _send(uow: "UnitOfWork", request: ServiceRequest, what: str, locale: str) -> None:
    queue_code(uow, request, _new_code(uow, request), what, locale)


def _new_code(uow: "UnitOfWork", request: ServiceRequest) -> str:
    code = f"{secrets.randbelow(1_000_000):06d}"
    request.code_hash = _digest(uow, request, code)
    request.code_expires_at = uow.clock.now() + CODE_LIFETIME
    return code


def queue_code(uow: "UnitOfWork", request: ServiceRequest, code: str, what: str, locale: str) -> None:
    """The SMS of ``code`` (from ``new_code``) to where the request says it goes."""
    # The code is sealed apart from the text, so the outbox (and its console page) never shows it.
    body = translate(locale, CODE_SMS, code=outbox.placeholder("code"), reference=request.reference,
                     what=translate(locale, what))
    outbox.queue(uow, channel="sms", kind="servicing_code", recipient=request.code_sent_to, body=body, locale=locale,
                 customer_id=request.customer_id, secrets={"code": code})


def _send_contact(uow: "UnitOfWork", request: ServiceRequest, channel: str, locale: str) -> None:
    queue_contact_code(uow, request, channel, _new_contact_code(uow, request), locale)


def _new_contact_code(uow: "UnitOfWork", request: ServiceRequest) -> str:
    code = f"{secrets.randbelow(1_000_000):06d}"
    request.contact_code_hash = _contact_digest(uow, request, code)
    request.code_expires_at = uow.clock.now() + CODE_LIFETIME  # also when staff confirm with their authenticator
    return code


def queue_contact_code(uow: "UnitOfWork", request: ServiceRequest, channel: str, code: str, locale: str) -> None:
    """The message of the second ``code`` (from ``new_contact_code``), by ``channel`` (sms or email)."""
    body = translate(locale, CONTACT_CODE, code=outbox.placeholder("code"), reference=request.reference)
    outbox.queue(uow, channel=channel, kind="servicing_contact_code", recipient=request.contact_code_sent_to,
                 body=body, locale=locale, subject=translate(locale, CONTACT_SUBJECT) if channel == "email" else None,
                 customer_id=request.customer_id, secrets={"code": code})


def verify_contact(uow: "UnitOfWork", request: ServiceRequest, code: str | None) -> str:
    """The second code, when the request has one (after ``verify`` passed): a confirmation
    result, counted against the same limit as the first code."""
    if request.contact_code_hash is None:
        return CONFIRMED
    code = (code or "").strip().replace(" ", "")
    if request.code_attempts >= MAX_ATTEMPTS:
        return LOCKED
    if request.code_expires_at is None or uow.clock.now() > request.code_expires_at:
        return CODE_EXPIRED
    if (len(code) == 6 and code.isascii() and code.isdigit()
            and hmac.compare_digest(_contact_digest(uow, request, code), request.contact_code_hash)):
        return CONFIRMED
    request.code_attempts += 1
    return LOCKED if request.code_attempts >= MAX_ATTEMPTS else WRONG_CONTACT_CODE


def verify(uow: "UnitOfWork", request: ServiceRequest, who: Principal, code: str, *,
           account: Account | None = None) -> str:
    """Whether ``code`` confirms the request: a ``paas.servicing.confirmation`` result
    (confirmed, wrong_code, locked or code_expired). A wrong code is counted on the request.
    ``account``: the customer's own, read locked with the request (else read when needed)."""
    code = (code or "").strip().replace(" ", "")
    if request.code_attempts >= MAX_ATTEMPTS:
        return LOCKED
    if request.step_up == "totp":
        right = _verify_totp(uow, request, who, code)
    elif customer_totp.answers_step_up(uow, who, code, account=account):  # their own authenticator app, when on
        right = True
    elif request.code_expires_at is None or uow.clock.now() > request.code_expires_at:
        return CODE_EXPIRED
    else:
        right = (len(code) == 6 and code.isascii() and code.isdigit()
                 and hmac.compare_digest(_digest(uow, request, code), request.code_hash or ""))
    if right:
        return CONFIRMED
    request.code_attempts += 1  # the same limit for SMS and authenticator codes: no guessing 6 digits
    return LOCKED if request.code_attempts >= MAX_ATTEMPTS else WRONG_CODE


def attempts_left(request: ServiceRequest) -> int:
    return max(0, MAX_ATTEMPTS - request.code_attempts)


def _verify_totp(uow: "UnitOfWork", request: ServiceRequest, who: Principal, code: str) -> bool:
    # Only the colleague who keyed the request holds the authenticator that confirms it; the
    # customer it is for (who has none) is told so instead of reaching a missing secret.
    if not who.is_staff or who.account_id != request.submitted_by:
        raise NotPermitted(STAFF_CONFIRMS)
    account = uow.session.execute(select(Account).where(Account.id == who.account_id).with_for_update()).scalar_one()
    secret = uow.keyring.decrypt(account.totp_secret_cipher, context="account.totp_secret")
    step = totp.matching_step(secret, code, uow.clock.now(), last_step=account.totp_last_step)
    if step is None:
        return False
    account.totp_last_step = step
    return True
