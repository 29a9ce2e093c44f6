"""Signing in with the mobile and a code sent to it by SMS (common for Chinese users): the code
goes to the mobile on file of the account with that number, and the page answers the same
whether or not one exists. Code sends are limited per number and per address; a wrong code
counts against the sign-in limits per account and address as a wrong password does."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.customers.identity import normalise_mobile
from paas.errors import InvalidInput
from paas.i18n import supported
from paas.security import codes, limits
from paas.security.enrolment import ANONYMOUS, CodeSent, decoy
from paas.security.login import SignedIn, _reserve_attempt, open_signed_in
from paas.security.models import Account

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def _account(uow: "UnitOfWork", number: str) -> Account | None:
    account = uow.session.scalar(select(Account).where(Account.mobile == number))
    return account if account is not None and account.is_active and account.role is None else None


def start(uow: "UnitOfWork", mobile: str, *, address: str, locale: str) -> CodeSent:
    number = normalise_mobile(mobile)
    limits.for_code(uow, number, address)
    account = _account(uow, number)
    if account is None:
        chain.record(uow, ANONYMOUS, "login.code_asked", detail={"known": False}, address=address)
        return decoy(uow, number)
    sent = codes.send_sms_code(uow, codes.SIGN_IN, account.mobile, account.locale or supported(locale) or "zh",
                               customer_id=account.customer_id, account_id=account.id)
    chain.record(uow, ANONYMOUS, "login.code_asked", subject=f"account:{account.id}", detail={"known": True},
                 address=address)
    return CodeSent(sent.handle, number[-2:])


def finish(uow: "UnitOfWork", handle: str, code: str, *, address: str, user_agent: str | None) -> SignedIn:
    row = codes.pending(uow, codes.SIGN_IN, handle)
    key = row.sent_to if row is not None else "unknown-handle"
    _reserve_attempt(uow, key, address)
    try:
        row = codes.check(uow, codes.SIGN_IN, handle, code)
    except InvalidInput:
        chain.record(uow, ANONYMOUS, "login.failed", detail={"reason": "sms_code"}, address=address)
        raise
    account = uow.session.get(Account, row.account_id)
    if account is None or not account.is_active or account.mobile != row.sent_to:
        raise InvalidInput(codes.WRONG, field="code")
    policy, limiter = uow.platform.security, uow.platform.rate_limiter
    limiter.reset(policy.login_limit_per_account, "login-account", key)
    limiter.refund(policy.login_limit_per_address, "login-address", address)
    return open_signed_in(uow, account, address=address, user_agent=user_agent, how="sms_code")
