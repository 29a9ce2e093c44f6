"""The customer's own account: what the account page shows (profile masked, tier, security
settings), changing the password (needs the current one; the contacts from before are told;
other sessions end), adding an e-mail (confirmed by its link), and closing online service:
the login goes, the customer, policies and their records stay, and the person can enrol again."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete

from paas.audit import chain
from paas.customers.identity import normalise_email
from paas.customers.masking import mask_email, mask_id_number, mask_mobile
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.errors import N_, AuthenticationFailed
from paas.field_checks import FieldChecks
from paas.security import alerts, email_links, limits, tiers
from paas.security.models import Account, KnownDevice, OneTimeCode
from paas.security.passwords import check_strength
from paas.security.principal import Principal
from paas.security.recovery import PASSWORD_CHANGED
from paas.security.sessions_view import end_all_sessions, end_other_sessions

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

WRONG_PASSWORD = N_("Your current password is not right.")
CLOSED = alerts.AlertKind("online_service_closed", N_(
    "[Pinghe Life] Online service was closed for you. Your policies are not affected; you can open it again any time."),
    notice=alerts.dated("online_service_closed", "closed_on"))


@dataclass(frozen=True)
class AccountOverview:
    name: str
    id_number: str | None  # masked
    mobile: str | None  # masked
    email: str | None  # masked, the confirmed one
    pending_email: str | None  # masked
    customer_number: str | None
    tier: tiers.TierState
    authenticator_on: bool
    locale: str


def overview(uow: "UnitOfWork", who: Principal) -> AccountOverview:
    account = uow.session.get(Account, who.account_id)
    customer = uow.session.get(Customer, account.customer_id) if account.customer_id else None
    id_number = (mask_id_number(uow.keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT))
                 if customer else None)
    return AccountOverview(
        customer.name if customer else account.display_name, id_number,
        mask_mobile(customer.mobile if customer else account.mobile) or None,
        mask_email(account.email) or None, mask_email(account.pending_email) or None,
        customer.customer_number if customer else None, tiers.state_of(account),
        account.totp_secret_cipher is not None, account.locale)


def _locked_account(uow: "UnitOfWork", who: Principal, current_password: str) -> Account:
    account = uow.session.get(Account, who.account_id, with_for_update=True)
    if not uow.platform.passwords.verify(account.password_hash, current_password or ""):
        raise AuthenticationFailed(WRONG_PASSWORD)
    return account


def change_password(uow: "UnitOfWork", who: Principal, current_password: str, new_password: str,
                    current_token: str | None) -> None:
    checks = FieldChecks()
    checks(check_strength, new_password or "", own_details=(who.display_name,))
    checks.done()
    account = _locked_account(uow, who, current_password)
    customer = uow.session.get(Customer, account.customer_id) if account.customer_id else None
    before = alerts.contacts_of(uow, customer) if customer else None
    account.password_hash = uow.platform.passwords.hash(new_password)
    end_other_sessions(uow, who, current_token)
    chain.record(uow, who.actor, "password.changed", subject=f"account:{account.id}")
    if customer is not None:
        alerts.alert(uow, customer, PASSWORD_CHANGED, contacts=before)


def add_email(uow: "UnitOfWork", who: Principal, email: str) -> None:
    address = normalise_email(email)
    limits.for_code(uow, address, f"account:{who.account_id}")  # each link is a mail we send: not a mail cannon
    account = uow.session.get(Account, who.account_id, with_for_update=True)
    email_links.ask_confirmation(uow, account, address)


def close_online_service(uow: "UnitOfWork", who: Principal, current_password: str) -> None:
    """The account is switched off and emptied of what signs in (contacts, password, devices,
    codes, sessions); the row stays because the records it made (requests, audit) name it."""
    account = _locked_account(uow, who, current_password)
    customer = uow.session.get(Customer, account.customer_id) if account.customer_id else None
    before = alerts.contacts_of(uow, customer) if customer else None
    end_all_sessions(uow, account.id)
    uow.session.execute(delete(KnownDevice).where(KnownDevice.account_id == account.id))
    uow.session.execute(delete(OneTimeCode).where(OneTimeCode.account_id == account.id))
    account.is_active = False
    account.email = account.mobile = account.pending_email = account.customer_id = None
    account.totp_secret_cipher = account.recovery_codes = None
    account.password_hash = "closed"
    chain.record(uow, who.actor, "account.closed", subject=f"account:{account.id}",
                 detail={"customer": customer.id if customer else None})
    if customer is not None:
        alerts.alert(uow, customer, CLOSED, contacts=before)
