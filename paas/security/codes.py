"""One-time codes for the account's own steps (enrolment, registration, sign-in by SMS, password
reset, e-mail confirmation): six digits by SMS or a long token in a link, bound to one purpose
and one recipient, kept only as a keyed hash, valid five minutes (a link: a day), usable once,
five tries. The code travels sealed through the outbox, so no staff page shows it.

``issue`` returns a handle (random, names no one) that the next step presents with the code."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from paas.audit import chain
from paas.audit.chain import Actor
from paas.errors import N_, InvalidInput
from paas.i18n import translate
from paas.messaging import outbox
from paas.security.models import OneTimeCode

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CODE_LIFETIME = timedelta(minutes=5)
LINK_LIFETIME = timedelta(hours=24)
MAX_ATTEMPTS = 5
ENROL, REGISTER, SIGN_IN, RESET, CONFIRM_EMAIL, RESET_LINK = (
    "enrol", "register", "sign_in", "reset", "confirm_email", "reset_link")
SECOND_STEP = "second_step"  # a sign-in that passed its first step waits for the authenticator

WRONG = N_("That code is not right, or it has expired. Check the latest SMS, or ask for a new code.")
CODE_SMS = {
    ENROL: N_("[Pinghe Life] Your code to open online service is %(code)s. It expires in 5 minutes. "
              "If you did not ask for it, ignore this message."),
    REGISTER: N_("[Pinghe Life] Your registration code is %(code)s. It expires in 5 minutes."),
    SIGN_IN: N_("[Pinghe Life] Your sign-in code is %(code)s. It expires in 5 minutes. Never share it."),
    RESET: N_("[Pinghe Life] Your code to reset your password is %(code)s. It expires in 5 minutes. "
              "If you did not ask for it, call 95500."),
}


@dataclass(frozen=True)
class Issued:
    handle: str
    sent_to: str


def _digest(uow: "UnitOfWork", handle: str, purpose: str, code: str) -> str:
    # The purpose is inside the hash: a sign-in code cannot be replayed as a reset code.
    return uow.keyring.blind_index(f"{purpose}:{handle}:{code}", context="account.code")


def _new(uow: "UnitOfWork", purpose: str, code: str, sent_to: str, lifetime: timedelta,
         customer_id: int | None, account_id: int | None) -> OneTimeCode:
    now = uow.clock.now()
    # One live code per purpose and recipient: asking again retires the one before.
    uow.session.execute(update(OneTimeCode).where(
        OneTimeCode.purpose == purpose, OneTimeCode.sent_to == sent_to, OneTimeCode.used_at.is_(None)
    ).values(used_at=now))
    handle = secrets.token_urlsafe(24)
    row = OneTimeCode(handle=handle, purpose=purpose, digest=_digest(uow, handle, purpose, code), sent_to=sent_to,
                      customer_id=customer_id, account_id=account_id, created_at=now, expires_at=now + lifetime)
    uow.session.add(row)
    uow.session.flush()
    return row


def send_sms_code(uow: "UnitOfWork", purpose: str, mobile: str, locale: str, *, customer_id: int | None = None,
                  account_id: int | None = None) -> Issued:
    """``mobile``: a number already on file (or, registering, the one being proved)."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = _new(uow, purpose, code, mobile, CODE_LIFETIME, customer_id, account_id)
    body = translate(locale, CODE_SMS[purpose], code=outbox.placeholder("code"))
    outbox.queue(uow, channel="sms", kind=f"account_{purpose}_code", recipient=mobile, body=body, locale=locale,
                 customer_id=customer_id, secrets={"code": code})
    return Issued(row.handle, mobile)


def send_link(uow: "UnitOfWork", purpose: str, email: str, locale: str, *, path: str, text: str, subject: str,
              customer_id: int | None = None, account_id: int | None = None) -> None:
    """A link (``path`` + token) by e-mail; the token works like a code, for a day."""
    token = secrets.token_urlsafe(32)
    row = _new(uow, purpose, token, email, LINK_LIFETIME, customer_id, account_id)
    url = uow.platform.public_url.rstrip("/") + path + "?handle=" + row.handle + "&token=" + outbox.placeholder("token")
    outbox.queue(uow, channel="email", kind=f"account_{purpose}_link", recipient=email,
                 body=translate(locale, text, url=url), subject=translate(locale, subject), locale=locale,
                 customer_id=customer_id, secrets={"token": token})


def open_step(uow: "UnitOfWork", purpose: str, *, account_id: int, customer_id: int | None) -> str:
    """A handle naming an account that passed one step (nothing is sent): five minutes, five
    tries at the next step (counted with ``count_miss``)."""
    return _new(uow, purpose, "", f"account:{account_id}", CODE_LIFETIME, customer_id, account_id).handle


def count_miss(uow: "UnitOfWork", row: OneTimeCode) -> None:
    row.attempts += 1
    if row.attempts >= MAX_ATTEMPTS:
        row.used_at = uow.clock.now()


def pending(uow: "UnitOfWork", purpose: str, handle: str | None) -> OneTimeCode | None:
    """The live code row behind ``handle`` for ``purpose``, locked, or None."""
    if not handle or len(handle) > 64:
        return None
    row = uow.session.execute(select(OneTimeCode).where(
        OneTimeCode.handle == handle, OneTimeCode.purpose == purpose).with_for_update()).scalar_one_or_none()
    if row is None or row.used_at is not None or uow.clock.now() > row.expires_at:
        return None
    return row


def check(uow: "UnitOfWork", purpose: str, handle: str | None, code: str | None, *, field: str = "code") -> OneTimeCode:
    """The row when ``code`` is right for ``handle`` and ``purpose`` (then it is used up), else
    InvalidInput with one message for every way of being wrong. A wrong try is counted; the
    fifth ends the code. The caller commits even when refused, so the count stays."""
    row = pending(uow, purpose, handle)
    typed = (code or "").strip().replace(" ", "")[:64]
    if row is None or row.attempts >= MAX_ATTEMPTS:
        raise InvalidInput(WRONG, field=field)
    if not hmac.compare_digest(_digest(uow, row.handle, purpose, typed), row.digest):
        count_miss(uow, row)
        chain.record(uow, Actor("anonymous", None, "anonymous"), "code.wrong",
                     subject=f"account:{row.account_id}" if row.account_id else f"customer:{row.customer_id}",
                     detail={"purpose": purpose, "attempts": row.attempts})
        raise InvalidInput(WRONG, field=field)
    row.used_at = uow.clock.now()
    return row
