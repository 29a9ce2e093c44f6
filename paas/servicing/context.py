"""Loading a policy for servicing: found by number for whoever asks (owner, or a clerk
acting for the customer), locked, and valued today."""
from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from iaas.database import DirectStatement, one_or_none_of
from paas.claims.models import OPEN_STATUSES as CLAIM_OPEN_STATUSES
from paas.claims.models import Claim
from paas.customers.models import BankAccount, Customer
from paas.errors import N_, NotFound, NotPermitted
from paas.loaded_rows import LoadedRows
from paas.numbering import POLICY_NUMBER
from paas.policies.facts import FACT_COLUMNS, facts_from, with_facts
from paas.policies.models import Policy
from paas.security.models import Account
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR
from paas.servicing.base import PolicyContext
from paas.servicing.binds import one_of

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

POLICY_NOT_FOUND = N_("We could not find policy %(number)s among your policies.")
ACTING_ROLES = (CLERK, SUPERVISOR)


def find_policy_id(uow: "UnitOfWork", who: Principal, policy_number: str) -> int:
    where, params = _reachable(who, policy_number)
    policy_id = uow.session.scalar(_policy_id_statement(where), params)
    if policy_id is None:
        raise NotFound(POLICY_NOT_FOUND, number=(policy_number or "")[:20])
    return policy_id


def context_for(uow: "UnitOfWork", who: Principal, policy_number: str, *, lock: bool = True,
                with_account: bool = False, with_bank_accounts: bool = False) -> PolicyContext:
    """``load_context`` of a policy found by number for whoever asks (``find_policy_id``'s
    rules), without the extra round trip. ``with_account``: a customer's own sign-in account
    is read in the same round trip (``PolicyContext.asker_account``: in the session, where the
    payout tier check finds it); ``with_bank_accounts``: the owner's bank accounts too (a
    payout's choices), loaded on ``customer.bank_accounts``."""
    where, params = _reachable(who, policy_number)
    account = with_account and not who.is_staff
    context = _load(uow, where, {**params, "account_id": who.account_id} if account else params, lock, account,
                    with_bank_accounts)
    if context is None:
        raise NotFound(POLICY_NOT_FOUND, number=(policy_number or "")[:20])
    return context


def load_context(uow: "UnitOfWork", policy_id: int, *, lock: bool = True,
                 with_bank_accounts: bool = False) -> PolicyContext:
    """Lock the policy row first: whatever is checked or changed next sees no concurrent
    change to this policy until the transaction ends. ``with_bank_accounts``: as ``context_for``'s."""
    context = _load(uow, BY_ID, {"policy_id": policy_id}, lock, False, with_bank_accounts)
    if context is None:
        raise NotFound(POLICY_NOT_FOUND, number=str(policy_id))
    return context


# Which policy a statement finds (the WHERE of the prebuilt reads below).
BY_ID, BY_NUMBER, OWN_BY_NUMBER = "id", "number", "own number"
_WHERE = {
    BY_ID: lambda: [Policy.id == bindparam("policy_id")],
    BY_NUMBER: lambda: [Policy.policy_number == bindparam("number")],
    OWN_BY_NUMBER: lambda: [Policy.policy_number == bindparam("number"), Policy.owner_id == bindparam("owner_id")],
}


def _reachable(who: Principal, policy_number: str) -> tuple[str, dict]:
    """The policy by number: the customer's own, or any for a clerk acting for customers
    (which prebuilt WHERE, and its values)."""
    number = POLICY_NUMBER.normalise(policy_number)
    if who.is_staff and who.role not in ACTING_ROLES:
        raise NotPermitted(N_("Only servicing clerks act for customers."))
    if not number:
        raise NotFound(POLICY_NOT_FOUND, number=(policy_number or "")[:20])
    if who.is_staff:
        return BY_NUMBER, {"number": number}
    return OWN_BY_NUMBER, {"number": number, "owner_id": who.customer_id}


@cache
def _policy_id_statement(where: str):
    return select(Policy.id).where(*_WHERE[where]())


@cache
def _context_statement(where: str, lock: bool, account: bool = False, bank_accounts: bool = False) -> "_DirectContext":
    """Built once per kind of look-up: the policy, its owner, whether a claim is open and the
    language their messages are written in (preferences.customer_locale); with ``account``,
    the sign-in account ``account_id`` too; with ``bank_accounts``, the owner's (joined: a row
    per bank account)."""
    return _DirectContext(where, lock, account, bank_accounts)


_POLICY_ROWS, _CUSTOMER_ROWS = LoadedRows(Policy), LoadedRows(Customer)
_ACCOUNT_ROWS, _BANK_ACCOUNT_ROWS = LoadedRows(Account), LoadedRows(BankAccount)


class _DirectContext:
    """The context's read as columns on the cursor (``DirectStatement``), made into the
    session's objects (``LoadedRows``): the ORM's execution of it cost several times the
    statement's own, at every servicing request."""

    def __init__(self, where: str, lock: bool, account: bool, bank_accounts: bool) -> None:
        open_claim = (select(Claim.id).where(Claim.policy_id == Policy.id, one_of(Claim.status, CLAIM_OPEN_STATUSES))
                      .exists().label("open_claim"))
        # Correlated to the customer alone: the account read beside it is another row.
        locale = (select(Account.locale).where(Account.customer_id == Customer.id).limit(1).correlate(Customer)
                  .scalar_subquery())
        columns = [*_POLICY_ROWS.columns, *_CUSTOMER_ROWS.columns, open_claim, locale]
        self._customer_at = len(_POLICY_ROWS.columns)
        self._after = self._customer_at + len(_CUSTOMER_ROWS.columns)
        self._account_at = self._bank_account_at = self._after + 2
        query = select().select_from(Policy).join(Customer, Customer.id == Policy.owner_id)
        if account:
            columns += _ACCOUNT_ROWS.columns
            query = query.outerjoin(Account, Account.id == bindparam("account_id"))
            self._bank_account_at += len(_ACCOUNT_ROWS.columns)
        if bank_accounts:
            columns += _BANK_ACCOUNT_ROWS.columns
            query = query.outerjoin(BankAccount, BankAccount.customer_id == Customer.id).order_by(BankAccount.id)
        query = query.add_columns(*columns).where(*_WHERE[where]())
        self.statement = DirectStatement(query.with_for_update(of=Policy) if lock else query)
        self.account, self.bank_accounts = account, bank_accounts

    def load(self, session, params: dict) -> tuple | None:
        rows = self.statement.in_session(session, params)
        if not rows:
            return None
        if not self.bank_accounts:
            one_or_none_of(rows)  # one policy (its number is unique)
        first = rows[0]
        policy = _POLICY_ROWS.adopt(session, first)
        customer = _CUSTOMER_ROWS.adopt(session, first, self._customer_at)
        open_claim, locale = first[self._after:self._after + 2]
        account = None
        if self.account and first[self._account_at] is not None:  # (an outer join: no account, no columns of it)
            account = _ACCOUNT_ROWS.adopt(session, first, self._account_at)
        if self.bank_accounts and "bank_accounts" not in instance_state(customer).dict:
            # As a joined eager load: the collection set as loaded, unless the session had it already.
            set_committed_value(customer, "bank_accounts", [
                _BANK_ACCOUNT_ROWS.adopt(session, row, self._bank_account_at)
                for row in rows if row[self._bank_account_at] is not None])
        return policy, customer, open_claim, locale, account


@cache
def _facts_statement() -> DirectStatement:
    return DirectStatement(with_facts(select(*FACT_COLUMNS)).where(Policy.id == bindparam("policy_id")))


def _load(uow: "UnitOfWork", where: str, params: dict, lock: bool, account: bool,
          bank_accounts: bool = False) -> PolicyContext | None:
    """The policy (locked) with its owner and whether a claim is open, in one round trip; its
    facts when a transaction first looks at them."""
    found = _context_statement(where, lock, account, bank_accounts).load(uow.session, params)
    if found is None:
        return None
    policy, customer, has_open_claim, account_locale = found[:4]
    asker_account = found[4] if account else None
    today = uow.clock.today()

    def read_facts():  # inside the same transaction, after the lock above
        found = _facts_statement().in_session(uow.session, {"today": today, "policy_id": policy.id})
        return facts_from(found[0])

    return PolicyContext(policy, customer, today, bool(has_open_claim), account_locale, read_facts, asker_account,
                         locked=lock)
