"""Listing, adding, changing and removing a customer's external accounts. Every query is
scoped to the customer: another customer's account looks exactly like one that never existed."""
from __future__ import annotations

import re
import secrets
import string
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from paas.assets.entry import ACCOUNTS_MAX, AccountEntry, check_entry
from paas.assets.models import ExternalAccount
from paas.audit import chain
from paas.customers.models import Customer
from paas.errors import N_, InvalidInput, NotFound, NotPermitted
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

ACCOUNT_NOT_FOUND = N_("We could not find that account among yours.")
_REFERENCE_ALPHABET = string.ascii_letters + string.digits
_REFERENCE_LENGTH = 10  # ~60 random bits: collisions are not a practical concern
_REFERENCE_SHAPE = re.compile(rf"^[A-Za-z0-9]{{{_REFERENCE_LENGTH}}}$")


@dataclass(frozen=True)
class ExternalAccountLine:
    reference: str
    name: str
    kind: str
    institution: str | None
    balance: Decimal
    as_of: date
    updated_at: datetime

    def as_entry(self) -> AccountEntry:
        return AccountEntry(self.name, self.kind, self.institution or "", str(self.balance), self.as_of.isoformat())


def _line(account: ExternalAccount) -> ExternalAccountLine:
    return ExternalAccountLine(account.reference, account.name, account.kind, account.institution,
                               account.balance, account.as_of, account.updated_at)


def _owned(customer_id: int):
    return select(ExternalAccount).where(ExternalAccount.customer_id == customer_id)


def _load(uow: "UnitOfWork", customer_id: int, reference: str) -> ExternalAccount:
    account = None
    if _REFERENCE_SHAPE.match(reference or ""):
        account = uow.session.execute(
            _owned(customer_id).where(ExternalAccount.reference == reference)
        ).scalar_one_or_none()
    if account is None:
        raise NotFound(ACCOUNT_NOT_FOUND)
    return account


def _customer_id(who: Principal) -> int:
    if not who.is_policyholder:
        raise NotPermitted(N_("Only policyholders keep external accounts."))
    return who.customer_id


def list_accounts(uow: "UnitOfWork", customer_id: int) -> tuple[ExternalAccountLine, ...]:
    accounts = uow.session.execute(_owned(customer_id).order_by(ExternalAccount.id)).scalars()
    return tuple(_line(a) for a in accounts)


def get_account(uow: "UnitOfWork", customer_id: int, reference: str) -> ExternalAccountLine:
    return _line(_load(uow, customer_id, reference))


def add_account(uow: "UnitOfWork", who: Principal, entry: AccountEntry) -> ExternalAccountLine:
    customer_id = _customer_id(who)
    checked = check_entry(entry, uow.clock.today())
    # Locking the customer's row makes two simultaneous adds count one after the other.
    uow.session.execute(select(Customer.id).where(Customer.id == customer_id).with_for_update())
    held = uow.session.scalar(select(func.count()).select_from(ExternalAccount).where(ExternalAccount.customer_id == customer_id))
    if held >= ACCOUNTS_MAX:
        raise InvalidInput(N_("You can keep at most %(max)s external accounts."), max=ACCOUNTS_MAX)
    now = uow.clock.now()
    account = ExternalAccount(
        reference="".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(_REFERENCE_LENGTH)),
        customer_id=customer_id, created_at=now, updated_at=now, **asdict(checked),
    )
    uow.session.add(account)
    uow.session.flush()
    _audit(uow, who, "external_account.added", account, kind=account.kind)
    return _line(account)


def update_account(uow: "UnitOfWork", who: Principal, reference: str, **changes: str) -> ExternalAccountLine:
    """Change the fields given (names of ``AccountEntry``); the rest keep their values."""
    account = _load(uow, _customer_id(who), reference)
    entry = replace(_line(account).as_entry(), **changes)
    checked = check_entry(entry, uow.clock.today())
    changed = sorted(f.name for f in fields(checked) if getattr(account, f.name) != getattr(checked, f.name))
    if changed:
        for name in changed:
            setattr(account, name, getattr(checked, name))
        account.updated_at = uow.clock.now()
        uow.session.flush()
        _audit(uow, who, "external_account.updated", account, changed=changed)
    return _line(account)


def remove_account(uow: "UnitOfWork", who: Principal, reference: str) -> None:
    account = _load(uow, _customer_id(who), reference)
    _audit(uow, who, "external_account.removed", account, kind=account.kind)
    uow.session.delete(account)
    uow.session.flush()


def _audit(uow: "UnitOfWork", who: Principal, action: str, account: ExternalAccount, **detail: object) -> None:
    # Field names and kinds only: balances and names are the customer's own business.
    chain.record(uow, who.actor, action, subject=f"external_account:{account.reference}", detail=detail)
