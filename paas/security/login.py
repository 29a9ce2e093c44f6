"""Signing in: policyholders by e-mail or mobile and password; staff by e-mail, password and
a TOTP code. Failures are throttled per account and per address, and audited."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.chain import Actor
from paas.customers.identity import normalise_email, normalise_mobile
from paas.errors import N_, AuthenticationFailed, InvalidInput, TooManyAttempts
from paas.field_checks import FieldChecks
from paas.security import codes, devices, sessions, totp
from paas.security.lockout_notice import notify_locked_out
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

WRONG_CREDENTIALS = N_("The account or password is not right. Please try again.")
WRONG_STAFF_CREDENTIALS = N_("The e-mail, password or authenticator code is not right.")
TOO_MANY = N_("Too many unsuccessful attempts. For your security, please wait %(minutes)s minutes and try again.")


@dataclass(frozen=True)
class SignedIn:
    token: str
    principal: Principal


class SecondStepNeeded(Exception):
    """The first step passed; the customer's authenticator app is on: ``handle`` names the wait
    for its code (paas.security.second_step). The caller commits and asks for the code."""

    def __init__(self, handle: str) -> None:
        super().__init__("second step needed")
        self.handle = handle


def normalise_login_identifier(text: str) -> str:
    """An e-mail (lower-cased) or a mobile number (E.164), whichever the person typed."""
    text = (text or "").strip()
    if not text or len(text) > 254:
        raise InvalidInput(N_("Enter your e-mail address or mobile number."), field="identifier")
    if "@" in text:
        return normalise_email(text)
    try:
        return normalise_mobile(text)
    except InvalidInput as exc:
        raise InvalidInput(N_("Enter your e-mail address or mobile number."), field="identifier") from exc


PASSWORD_NEEDED = N_("Enter your password.")


def sign_in_policyholder(
    uow: "UnitOfWork", identifier: str, password: str, *, address: str, user_agent: str | None
) -> SignedIn:
    # Both fields said at once; a form sent with no password is not an attempt at one.
    checks = FieldChecks()
    key = checks(normalise_login_identifier, identifier)
    if not password:
        checks.refuse(PASSWORD_NEEDED, "password")
    checks.done()
    left = _reserve_attempt(uow, key, address)
    column = Account.email if "@" in key else Account.mobile
    account = uow.session.execute(select(Account).where(column == key)).scalar_one_or_none()
    # A policyholder, or a visitor who registered by mobile (no customer record yet).
    usable = account is not None and account.is_active and account.role is None
    if not uow.platform.passwords.verify(account.password_hash if usable else None, password or ""):
        _fail(uow, address, account if usable else None, reason="password", attempts_left=left)
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    return _succeed(uow, account, password, key, address, user_agent)


def sign_in_staff(
    uow: "UnitOfWork",
    email: str,
    password: str,
    code: str,
    *,
    address: str,
    user_agent: str | None,
) -> SignedIn:
    try:
        key = normalise_email(email)
    except InvalidInput as exc:
        raise InvalidInput(N_("Enter your work e-mail address."), field="email") from exc
    left = _reserve_attempt(uow, key, address)
    account = uow.session.execute(select(Account).where(Account.email == key)).scalar_one_or_none()
    usable = account is not None and account.is_active and account.role is not None and account.totp_secret_cipher
    if not uow.platform.passwords.verify(account.password_hash if usable else None, password or ""):
        _fail(uow, address, account if usable else None, reason="password", attempts_left=left)
        raise AuthenticationFailed(WRONG_STAFF_CREDENTIALS)
    secret = uow.keyring.decrypt(account.totp_secret_cipher, context="account.totp_secret")
    step = totp.matching_step(secret, code, uow.clock.now(), last_step=account.totp_last_step)
    if step is None:
        _fail(uow, address, account, reason="totp", attempts_left=left)
        raise AuthenticationFailed(WRONG_STAFF_CREDENTIALS)
    account.totp_last_step = step
    return _succeed(uow, account, password, key, address, user_agent)


def sign_out(uow: "UnitOfWork", token: str | None, principal: Principal | None, *, address: str | None) -> None:
    sessions.close_session(uow, token)
    if principal is not None:
        chain.record(uow, principal.actor, "login.signed_out", subject=f"account:{principal.account_id}", address=address)


def _reserve_attempt(uow: "UnitOfWork", key: str, address: str) -> int:
    """Count this attempt against the address and the account *before* the password is
    checked, and refuse it when either is used up: parallel requests each get their own
    count, so no more than the limit are ever checked. Returns the account's attempts left."""
    limiter, policy = uow.platform.rate_limiter, uow.platform.security
    address_limit, account_limit = policy.login_limit_per_address, policy.login_limit_per_account
    if limiter.reserve(address_limit, "login-address", address) is None:
        raise TooManyAttempts(TOO_MANY, retry_after=limiter.retry_after(address_limit, "login-address", address))
    left = limiter.reserve(account_limit, "login-account", key)
    if left is None:
        limiter.refund(address_limit, "login-address", address)  # refused, so never checked
        raise TooManyAttempts(TOO_MANY, retry_after=limiter.retry_after(account_limit, "login-account", key))
    return left


def _fail(uow: "UnitOfWork", address: str, account: Account | None, *, reason: str, attempts_left: int) -> None:
    """Audit a failed attempt (already counted). The caller commits this even though
    sign-in failed: the record of an attempt must not vanish."""
    actor = Actor("anonymous", None, "anonymous")
    subject = f"account:{account.id}" if account else None
    chain.record(uow, actor, "login.failed", subject=subject, detail={"reason": reason}, address=address)
    if account is not None and attempts_left == 0:
        # This failure used up the allowance: tell the owner once, out of band.
        notify_locked_out(uow, account)


def _succeed(
    uow: "UnitOfWork",
    account: Account,
    password: str,
    key: str,
    address: str,
    user_agent: str | None,
) -> SignedIn:
    policy, passwords = uow.platform.security, uow.platform.passwords
    limiter = uow.platform.rate_limiter
    limiter.reset(policy.login_limit_per_account, "login-account", key)
    # Signing in is not a failure: an office behind one address signs in all day.
    limiter.refund(policy.login_limit_per_address, "login-address", address)
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.rehash(password)
    return open_signed_in(uow, account, address=address, user_agent=user_agent)


def open_signed_in(uow: "UnitOfWork", account: Account, *, address: str | None, user_agent: str | None,
                   how: str = "password", second_step_done: bool = False) -> SignedIn:
    """The session of a sign-in that has passed (by password, SMS code, enrolment), audited; a
    new device is told to the customer. With the customer's authenticator on, a password or SMS
    code is only the first step: SecondStepNeeded."""
    if how in ("password", "sms_code") and not second_step_done and account.role is None and account.totp_secret_cipher:
        handle = codes.open_step(uow, codes.SECOND_STEP, account_id=account.id, customer_id=account.customer_id)
        chain.record(uow, Actor("customer", account.id, account.display_name), "login.first_step",
                     subject=f"account:{account.id}", detail={"by": how}, address=address)
        raise SecondStepNeeded(handle)
    account.last_login_at = uow.clock.now()
    token = sessions.open_session(uow, account, address=address, user_agent=user_agent)
    principal = sessions.principal_of(account)
    devices.note_sign_in(uow, account, user_agent=user_agent, address=address)
    chain.record(uow, principal.actor, "login.succeeded", subject=f"account:{account.id}", address=address,
                 detail={"by": how} if how != "password" else None)
    return SignedIn(token, principal)
