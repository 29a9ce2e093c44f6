"""权限分级: what an online account may do. View: enrolled with a confirmed mobile (every
query, the inbox, preferences). Transact: the identity proved (the enrolment match, or staff
at the counter) AND a bank card proved by the bank's four-element check: only then may money
leave a policy for a bank account.

The rule lives here alone. ``check_may_pay_out`` is called once by the servicing engine when
a request starts (every channel - web, API, SMS, console - passes there) and once by claim
reporting; the services page asks ``payout_lock`` the same question. Staff acting for a
customer are not tiered: they saw the customer's papers; each such exemption is audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.errors import N_, NotPermitted
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

VIEW, TRANSACT = "view", "transact"
TIER_LABELS = {VIEW: N_("View"), TRANSACT: N_("Transact")}
LOCKED = N_("Money can be paid to a bank account only once your account can transact: "
            "verify a bank card in your name on the account page.")
UNLOCK_PATH = "/account#tier"
PROOF_LABELS = {
    "counter": N_("at a service counter"),
    "enrolment": N_("by your name, ID number and policy number when you opened online service"),
    "four_elements": N_("by the bank's check of your name, ID number, card and mobile"),
}


@dataclass(frozen=True)
class TierState:
    tier: str
    identity_verified_at: datetime | None
    identity_verified_by: str | None
    card_verified_at: datetime | None
    card_verified_by: str | None


def state_of(account: Account) -> TierState:
    transact = account.identity_verified_at is not None and account.card_verified_at is not None
    return TierState(TRANSACT if transact else VIEW, account.identity_verified_at, account.identity_verified_by,
                     account.card_verified_at, account.card_verified_by)


def state_for_customer(uow: "UnitOfWork", customer_id: int) -> TierState | None:
    """The customer's online account's tier; None when they have no online service."""
    account = uow.session.scalar(select(Account).where(Account.customer_id == customer_id, Account.is_active))
    return state_of(account) if account is not None else None


def payout_lock(uow: "UnitOfWork", who: Principal) -> str | None:
    """Why ``who`` may not pay money out to a bank account now (a message id), or None."""
    if who.is_staff:
        return None
    account = uow.session.get(Account, who.account_id)
    return None if account is not None and state_of(account).tier == TRANSACT else LOCKED


def check_may_pay_out(uow: "UnitOfWork", who: Principal, *, what: str, subject: str) -> None:
    """Refuse a money movement to a bank account unless ``who`` may transact. ``what`` (the
    kind) and ``subject`` (the policy) go into the audit entry of a staff exemption."""
    if who.is_staff:
        chain.record(uow, who.actor, "tier.exempt_staff", subject=subject, detail={"what": what})
        return
    if payout_lock(uow, who) is not None:
        raise NotPermitted(LOCKED)


def check_servicing(uow: "UnitOfWork", who: Principal, txn, policy_number: str) -> None:
    """The engine's one call: only kinds that pay out are tiered."""
    if txn.pays_out:
        check_may_pay_out(uow, who, what=txn.kind, subject=f"policy:{policy_number}")
