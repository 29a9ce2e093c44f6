"""A visitor without a policy registers with a mobile and a code sent to it (this number is the
one being proved, so the code goes to it). The account can quote, save and later apply for
cover; it has no customer record until a policy is theirs. A number that already has an
account gets a notice instead of a code, and the page says the same as for a new one."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.chain import Actor
from paas.customers.identity import normalise_mobile
from paas.customers.masking import mask_mobile
from paas.errors import N_, InvalidInput
from paas.field_checks import FieldChecks
from paas.i18n import supported, translate
from paas.messaging import outbox
from paas.security import codes, limits
from paas.security.enrolment import ANONYMOUS, CodeSent, decoy
from paas.security.login import SignedIn, open_signed_in
from paas.security.models import Account
from paas.security.passwords import check_strength

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

EXISTS_SMS = N_("[Pinghe Life] Someone asked to register this number, but it has an online account already. "
                "Sign in, or reset your password if you forgot it.")


def start(uow: "UnitOfWork", mobile: str, *, address: str, locale: str) -> CodeSent:
    number = normalise_mobile(mobile)
    limits.for_code(uow, number, address)
    language = supported(locale) or "zh"
    chain.record(uow, ANONYMOUS, "registration.started", address=address)
    if uow.session.scalar(select(Account.id).where(Account.mobile == number)):
        outbox.queue(uow, channel="sms", kind="registration_exists", recipient=number, locale=language,
                     body=translate(language, EXISTS_SMS))
        return CodeSent(decoy(uow, number).handle, number[-2:])
    return CodeSent(codes.send_sms_code(uow, codes.REGISTER, number, language).handle, number[-2:])


def finish(uow: "UnitOfWork", handle: str, code: str, password: str, *, address: str, user_agent: str | None,
           locale: str) -> SignedIn:
    checks = FieldChecks()
    row = codes.pending(uow, codes.REGISTER, handle)
    checks(check_strength, password or "", own_details=((row.sent_to[-11:],) if row is not None else ()))
    if not (code or "").strip():
        checks.refuse(codes.WRONG, "code")
    checks.done()
    row = codes.check(uow, codes.REGISTER, handle, code)
    if uow.session.scalar(select(Account.id).where(Account.mobile == row.sent_to)):
        raise InvalidInput(codes.WRONG, field="code")  # registered meanwhile
    account = Account(mobile=row.sent_to, password_hash=uow.platform.passwords.hash(password),
                      display_name=mask_mobile(row.sent_to), locale=supported(locale) or "zh",
                      created_at=uow.clock.now())
    uow.session.add(account)
    uow.session.flush()
    chain.record(uow, Actor("customer", account.id, account.display_name), "account.created",
                 subject=f"account:{account.id}", detail={"kind": "visitor"}, address=address)
    return open_signed_in(uow, account, address=address, user_agent=user_agent, how="registration")
