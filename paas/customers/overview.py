"""The console's 360-degree view of one customer, with personal data masked."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.customers.masking import mask_address, mask_email, mask_id_number, mask_mobile
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT, masked_account_number
from paas.customers.search import require_staff
from paas.errors import N_, NotFound
from paas.messaging.models import OutboxMessage
from paas.numbering import CUSTOMER_NUMBER
from paas.policies.queries import PolicySummary, policy_summaries
from paas.security import tiers
from paas.security.tiers import TierState
from paas.policies.models import Policy
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CUSTOMER_NOT_FOUND = N_("No customer %(number)s.")


@dataclass(frozen=True)
class BankAccountLine:
    position: int  # 1, 2, ... in the customer's list: staff never handle internal ids
    bank_name: str
    number_masked: str


@dataclass(frozen=True)
class MessageLine:
    created_at: datetime
    channel: str
    kind: str
    status: str


@dataclass(frozen=True)
class CustomerOverview:
    customer_number: str
    name: str
    gender: str
    birth_date: date
    id_number_masked: str
    mobile_masked: str
    email_masked: str
    address_masked: str
    bank_accounts: tuple[BankAccountLine, ...]
    policies_owned: tuple[PolicySummary, ...]
    policies_insured: tuple[PolicySummary, ...]
    has_login: bool
    last_login_at: datetime | None
    recent_messages: tuple[MessageLine, ...]
    money_frozen_at: datetime | None = None  # the customer froze online money movements
    tier: "TierState | None" = None  # the online account's 权限分级 and what proved it (None: no online service)


def load_customer(uow: "UnitOfWork", customer_number: str) -> Customer:
    number = CUSTOMER_NUMBER.normalise(customer_number)
    customer = None
    if number:
        customer = uow.session.execute(select(Customer).where(Customer.customer_number == number)).scalar_one_or_none()
    if customer is None:
        raise NotFound(CUSTOMER_NOT_FOUND, number=(customer_number or "")[:20])
    return customer


def customer_overview(uow: "UnitOfWork", staff: Principal, customer_number: str) -> CustomerOverview:
    require_staff(staff)
    customer = load_customer(uow, customer_number)
    keyring = uow.keyring
    id_number = keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT)
    banks = tuple(
        BankAccountLine(position, b.bank_name, masked_account_number(keyring, b))
        for position, b in enumerate(customer.bank_accounts, start=1)
    )
    owned = policy_summaries(uow, Policy.owner_id == customer.id)
    # Every policy on their life, their own included: a customer insuring themselves is insured.
    insured = policy_summaries(uow, Policy.insured_id == customer.id)
    login = uow.session.execute(select(Account.last_login_at).where(Account.customer_id == customer.id)).one_or_none()
    messages = tuple(
        MessageLine(*row)
        for row in uow.session.execute(
            select(OutboxMessage.created_at, OutboxMessage.channel, OutboxMessage.kind, OutboxMessage.status)
            .where(OutboxMessage.customer_id == customer.id)
            .order_by(OutboxMessage.id.desc())
            .limit(10)
        )
    )
    chain.record(uow, staff.actor, "customer.viewed", subject=f"customer:{customer.customer_number}")
    return CustomerOverview(
        customer_number=customer.customer_number,
        name=customer.name,
        gender=customer.gender,
        birth_date=customer.birth_date,
        id_number_masked=mask_id_number(id_number),
        mobile_masked=mask_mobile(customer.mobile),
        email_masked=mask_email(customer.email),
        address_masked=mask_address(customer.address),
        bank_accounts=banks,
        policies_owned=owned,
        policies_insured=insured,
        has_login=login is not None,
        last_login_at=login[0] if login else None,
        recent_messages=messages,
        tier=tiers.state_for_customer(uow, customer.id),
        money_frozen_at=customer.money_frozen_at,
    )
