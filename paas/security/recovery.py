"""Forgot password: a code to the mobile on file, or a link to the confirmed e-mail; either
way the page answers the same whether or not an account exists. The new password must be
strong; the reset ends every session of the account, and the customer's contacts are told."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.customers.models import Customer
from paas.errors import N_, InvalidInput
from paas.field_checks import FieldChecks
from paas.i18n import supported
from paas.security import alerts, codes, limits
from paas.security.enrolment import ANONYMOUS, CodeSent, decoy
from paas.security.login import normalise_login_identifier
from paas.security.models import Account
from paas.security.passwords import check_strength
from paas.security.sessions import principal_of
from paas.security.sessions_view import end_all_sessions

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

RESET_PATH = "/password/reset/link"
RESET_TEXT = N_("Someone asked to reset the password of your Pinghe Life online account. To choose a new one, "
                "open this link within 24 hours: %(url)s . If it was not you, ignore this message or call 95500.")
RESET_SUBJECT = N_("Reset your password")
PASSWORD_RESET = alerts.AlertKind("password_reset", N_(
    "[Pinghe Life] The password of your online account was reset, and every device was signed out."),
    notice=alerts.dated("password_reset", "reset_on"))
PASSWORD_CHANGED = alerts.AlertKind("password_changed", N_(
    "[Pinghe Life] The password of your online account was changed."),
    notice=alerts.dated("password_changed", "changed_on"))


def mobile_on_file(uow: "UnitOfWork", account: Account) -> str | None:
    """A policyholder's mobile is the one on their policies; a visitor's, the one they proved."""
    if account.customer_id is not None:
        return uow.session.scalar(select(Customer.mobile).where(Customer.id == account.customer_id))
    return account.mobile


def start(uow: "UnitOfWork", identifier: str, *, address: str, locale: str) -> CodeSent | None:
    """A code by SMS (for a mobile; returns where the next step goes) or a link by e-mail (None)."""
    key = normalise_login_identifier(identifier)
    limits.for_code(uow, key, address)
    by_email = "@" in key
    account = uow.session.scalar(select(Account).where((Account.email if by_email else Account.mobile) == key))
    usable = account is not None and account.is_active and account.role is None
    chain.record(uow, ANONYMOUS, "password.reset_asked", subject=f"account:{account.id}" if usable else None,
                 detail={"by": "email" if by_email else "sms"}, address=address)
    language = (account.locale if usable else None) or supported(locale) or "zh"
    if by_email:
        if usable:  # account.email is only ever a confirmed address
            codes.send_link(uow, codes.RESET_LINK, account.email, language, path=RESET_PATH, text=RESET_TEXT,
                            subject=RESET_SUBJECT, customer_id=account.customer_id, account_id=account.id)
        return None
    mobile = mobile_on_file(uow, account) if usable else None
    if not mobile:
        return decoy(uow, key)
    sent = codes.send_sms_code(uow, codes.RESET, mobile, language, customer_id=account.customer_id,
                               account_id=account.id)
    return CodeSent(sent.handle, mobile[-2:])


def finish(uow: "UnitOfWork", purpose: str, handle: str, code: str, password: str, *, address: str) -> Account:
    """``purpose``: codes.RESET (the SMS code) or codes.RESET_LINK (the link's token)."""
    checks = FieldChecks()
    row = codes.pending(uow, purpose, handle)
    account = uow.session.get(Account, row.account_id) if row is not None and row.account_id else None
    checks(check_strength, password or "", own_details=(account.display_name,) if account else ())
    if not (code or "").strip():
        checks.refuse(codes.WRONG, "code")
    checks.done()
    row = codes.check(uow, purpose, handle, code)
    account = uow.session.get(Account, row.account_id, with_for_update=True)
    if account is None or not account.is_active:
        raise InvalidInput(codes.WRONG, field="code")
    account.password_hash = uow.platform.passwords.hash(password)
    end_all_sessions(uow, account.id)
    chain.record(uow, principal_of(account).actor, "password.reset", subject=f"account:{account.id}",
                 detail={"by": "sms" if purpose == codes.RESET else "email"}, address=address)
    if account.customer_id is not None:
        alerts.alert(uow, uow.session.get(Customer, account.customer_id), PASSWORD_RESET)
    return account
