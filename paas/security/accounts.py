"""Creating accounts: a policyholder's login for a customer, a staff member with a role."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.audit.chain import SYSTEM, Actor
from paas.customers.identity import normalise_email
from paas.customers.models import Customer
from paas.errors import N_, InvalidInput
from paas.i18n import supported
from paas.security import totp
from paas.security.models import Account
from paas.security.roles import STAFF_ROLES

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class NewStaff:
    account: Account
    totp_secret: str
    provisioning_uri: str


def _ensure_free(uow: "UnitOfWork", email: str | None, mobile: str | None) -> None:
    if email and uow.session.scalar(select(Account.id).where(Account.email == email)):
        raise InvalidInput(N_("An account with this e-mail address already exists."), field="email")
    if mobile and uow.session.scalar(select(Account.id).where(Account.mobile == mobile)):
        raise InvalidInput(N_("An account with this mobile number already exists."), field="mobile")


def create_policyholder_account(
    uow: "UnitOfWork",
    customer: Customer,
    password: str,
    *,
    locale: str = "zh",
    is_demo: bool = False,
    actor: Actor = SYSTEM,
    opened_online: bool = False,
) -> Account:
    """``opened_online``: the customer enrolled themselves (identity proved by the enrolment
    match, the card not yet); otherwise staff opened it at the counter, having seen both."""
    _ensure_free(uow, customer.email, customer.mobile)
    now = uow.clock.now()
    account = Account(
        email=customer.email,
        mobile=customer.mobile,
        password_hash=uow.platform.passwords.hash(password),
        display_name=customer.name,
        customer_id=customer.id,
        locale=supported(locale) or "zh",
        is_demo=is_demo,
        created_at=now,
        identity_verified_at=now,
        identity_verified_by="enrolment" if opened_online else "counter",
        card_verified_at=None if opened_online else now,
        card_verified_by=None if opened_online else "counter",
    )
    uow.session.add(account)
    uow.session.flush()
    chain.record(uow, actor, "account.created", subject=f"account:{account.id}",
                 detail={"kind": "policyholder", "online": opened_online})
    return account


def create_staff(
    uow: "UnitOfWork",
    *,
    email: str,
    display_name: str,
    role: str,
    password: str,
    authority_level: int = 1,
    is_demo: bool = False,
    actor: Actor = SYSTEM,
) -> NewStaff:
    email = normalise_email(email)
    if role not in STAFF_ROLES:
        raise InvalidInput(N_("Unknown role %(role)s."), field="role", role=role)
    if not 0 <= authority_level <= 9:
        raise InvalidInput(N_("Authority level must be between 0 and 9."), field="authority_level")
    name = (display_name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(N_("Give the staff member's name (at most 100 characters)."), field="display_name")
    _ensure_free(uow, email, None)
    secret = totp.new_secret()
    account = Account(
        email=email,
        password_hash=uow.platform.passwords.hash(password),
        display_name=name,
        role=role,
        authority_level=authority_level,
        totp_secret_cipher=uow.keyring.encrypt(secret, context="account.totp_secret"),
        locale="zh",
        is_demo=is_demo,
        created_at=uow.clock.now(),
    )
    uow.session.add(account)
    uow.session.flush()
    chain.record(
        uow, actor, "account.created", subject=f"account:{account.id}", detail={"kind": "staff", "role": role}
    )
    return NewStaff(account, secret, totp.provisioning_uri(secret, email))


def staff_totp_secret(uow: "UnitOfWork", account: Account) -> str:
    """For demo accounts only: the demo prints its staff secrets so a newcomer can sign in."""
    if not account.is_demo or not account.totp_secret_cipher:
        raise InvalidInput(N_("Only demo accounts reveal their authenticator secret."))
    return uow.keyring.decrypt(account.totp_secret_cipher, context="account.totp_secret")

