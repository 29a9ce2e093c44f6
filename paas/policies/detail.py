"""One policy in full, for its owner (queries 1-6): parties, beneficiaries, coverage, premium
history, values today, loans, dividends, survival benefits and fund units. Another
customer's policy is simply not found."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from iaas.database import DirectStatement
from paas.customers.masking import mask_id_number
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.dividends.models import DividendDeclaration
from paas.errors import N_, NotFound
from paas.funds.positions import FundPosition, fund_positions
from paas.numbering import POLICY_NUMBER
from paas.policies.facts import FACT_COLUMNS, facts_from, insured, with_facts
from paas.policies.models import Beneficiary, Policy, PremiumPayment
from paas.policies.deadlines import reinstatable_until
from paas.policies.queries import PolicySummary, summary_of
from paas.policies.terms import LAPSED
from paas.policies.valuation import cover_of
from paas.products.models import Product
from paas.products.values import Benefit, survival_benefit_schedule

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

POLICY_NOT_FOUND = N_("We could not find policy %(number)s among your policies.")
# The policy page shows the latest premiums and links to the full history (its own page):
# a year or so of monthly premiums, not decades of them.
RECENT_PREMIUMS = 12


@dataclass(frozen=True)
class Party:
    name: str
    gender: str
    birth_date: date
    id_number_masked: str


@dataclass(frozen=True)
class BeneficiaryLine:
    name: str
    relationship: str
    rank: int
    share: Decimal


@dataclass(frozen=True)
class PremiumLine:
    due_date: date
    amount: Decimal
    paid_on: date
    channel: str


@dataclass(frozen=True)
class DividendLine:
    policy_year: int
    declared_on: date
    amount: Decimal
    option: str


@dataclass(frozen=True)
class PolicyDetail:
    summary: PolicySummary
    product_category: str
    description_zh: str
    description_en: str
    issue_date: date
    expiry_date: date | None
    premium_end_date: date | None
    paid_to_date: date
    currency: str
    dividend_option: str | None
    owner: Party
    insured: Party
    beneficiaries: tuple[BeneficiaryLine, ...]
    premiums: tuple[PremiumLine, ...]  # newest first: all of them, or the latest (``premiums_paid`` in all)
    premiums_paid: int
    total_premiums_paid: Decimal
    dividends: tuple[DividendLine, ...]
    survival_benefits: tuple[Benefit, ...]
    funds: tuple[FundPosition, ...]
    # Lapsed: until when it can be reinstated (its future benefits are paid only if it is).
    reinstatable_until: date | None = None
    today: date | None = None

    @property
    def benefits_forfeited(self) -> bool:
        """Lapsed past its reinstatement window: no future benefit will be paid."""
        return self.reinstatable_until is not None and self.today is not None and self.today > self.reinstatable_until

    def future_benefit(self, benefit: Benefit) -> bool:
        return self.today is not None and benefit.due_on > self.today

    @property
    def valuation(self):
        return self.summary.valuation

    @property
    def more_premiums(self) -> bool:
        return self.premiums_paid > len(self.premiums)

    @property
    def total_dividends_declared(self) -> Decimal:
        return sum((d.amount for d in self.dividends), Decimal("0.00"))

    def description(self, locale: str) -> str:
        return self.description_zh if locale == "zh" else self.description_en


# Built once and run on the DBAPI cursor: the second most visited page.
_owner = aliased(Customer)
_POLICY = DirectStatement(with_facts(
    select(
        Policy.id, Policy.policy_number, Policy.currency, Policy.dividend_option,
        Product.name_zh, Product.name_en, Product.category, Product.description_zh, Product.description_en,
        _owner.name, _owner.gender, _owner.birth_date, _owner.id_number_cipher,
        insured.name, insured.id_number_cipher, Policy.status_date, *FACT_COLUMNS,
    )
).join(_owner, _owner.id == Policy.owner_id).where(
    Policy.policy_number == bindparam("number"), Policy.owner_id == bindparam("owner_id")
))
_BENEFICIARIES = DirectStatement(
    select(Beneficiary.name, Beneficiary.relationship_to_insured, Beneficiary.rank, Beneficiary.share)
    .where(Beneficiary.policy_id == bindparam("policy_id"))
    .order_by(Beneficiary.rank, Beneficiary.id)
)
_PREMIUM_LINES = (
    select(PremiumPayment.due_date, PremiumPayment.amount, PremiumPayment.paid_on, PremiumPayment.channel)
    .where(PremiumPayment.policy_id == bindparam("policy_id"))
    .order_by(PremiumPayment.due_date.desc())
)
PREMIUMS = DirectStatement(_PREMIUM_LINES)
# The latest ones, each row carrying the count and the total of them all (the window is taken
# before the limit).
_RECENT_PREMIUMS = DirectStatement(
    _PREMIUM_LINES.add_columns(func.count().over(), func.sum(PremiumPayment.amount).over()).limit(RECENT_PREMIUMS)
)
_DIVIDENDS = DirectStatement(
    select(DividendDeclaration.policy_year, DividendDeclaration.declared_on, DividendDeclaration.amount,
           DividendDeclaration.option)
    .where(DividendDeclaration.policy_id == bindparam("policy_id"))
    .order_by(DividendDeclaration.policy_year.desc())
)


_WITH_COLUMNS: dict[tuple, DirectStatement] = {}


def policy_detail(uow: "UnitOfWork", customer_id: int, policy_number: str) -> PolicyDetail:
    """The policy with every premium paid."""
    return _detail(uow, customer_id, policy_number, _POLICY, 0, recent_premiums=False)[0]


def policy_detail_with(uow: "UnitOfWork", customer_id: int, policy_number: str,
                       columns: tuple) -> tuple[PolicyDetail, tuple]:
    """The policy with its latest premiums (``RECENT_PREMIUMS``) and, in the same round trip,
    more about it: ``columns`` of another package correlated to ``Policy`` (the page's special
    terms), their values returned too."""
    statement = _WITH_COLUMNS.get(columns)
    if statement is None:  # built once per set of columns, as the page's own statement is
        statement = _WITH_COLUMNS[columns] = DirectStatement(_POLICY.statement.add_columns(*columns))
    return _detail(uow, customer_id, policy_number, statement, len(columns), recent_premiums=True)


def _detail(uow: "UnitOfWork", customer_id: int, policy_number: str, statement: DirectStatement,
            extra: int, *, recent_premiums: bool) -> tuple[PolicyDetail, tuple]:
    connection = uow.connection()
    today = uow.clock.today()
    row = owned_policy_row(connection, statement, customer_id, policy_number, today=today)
    row, extra_values = (row[:-extra], tuple(row[-extra:])) if extra else (row, ())
    (policy_id, number, currency, dividend_option, name_zh, name_en, category, description_zh, description_en,
     owner_name, owner_gender, owner_born, owner_cipher, insured_name, insured_cipher, status_date, *fact_values) = row
    facts = facts_from(fact_values)
    cover = cover_of(facts)
    summary = summary_of(number, name_zh, name_en, insured_name, facts, today)
    by_policy = {"policy_id": policy_id}
    premiums, paid, total = _premiums(connection, by_policy, recent_premiums)
    detail = PolicyDetail(
        summary=summary,
        product_category=category,
        description_zh=description_zh,
        description_en=description_en,
        issue_date=facts.issue_date,
        expiry_date=facts.expiry_date,
        premium_end_date=facts.premium_end_date,
        paid_to_date=facts.paid_to_date,
        currency=currency,
        dividend_option=dividend_option,
        owner=_party(uow, owner_name, owner_gender, owner_born, owner_cipher),
        insured=_party(uow, insured_name, facts.insured_gender, facts.insured_birth_date, insured_cipher),
        beneficiaries=tuple(BeneficiaryLine(*r) for r in _BENEFICIARIES.rows(connection, by_policy)),
        premiums=premiums,
        premiums_paid=paid,
        total_premiums_paid=total,
        dividends=tuple(DividendLine(*r) for r in _DIVIDENDS.rows(connection, by_policy))
        if cover.spec.dividends else (),
        survival_benefits=survival_benefit_schedule(cover, facts.issue_date),
        funds=fund_positions(uow, policy_id, cover.spec, today) if cover.spec.unit_linked else (),
        reinstatable_until=reinstatable_until(status_date) if facts.status == LAPSED and status_date else None,
        today=today,
    )
    return detail, extra_values


def owned_policy_row(connection, statement: DirectStatement, customer_id: int, policy_number: str, **params) -> tuple:
    """The row ``statement`` finds for the policy of this number owned by this customer (its
    parameters ``number`` and ``owner_id``, and ``params``); ``NotFound`` otherwise - the same
    answer whether the policy does not exist or belongs to someone else."""
    number = POLICY_NUMBER.normalise(policy_number)
    row = None
    if number is not None:
        row = statement.one_or_none(connection, {"number": number, "owner_id": customer_id, **params})
    if row is None:
        raise NotFound(POLICY_NOT_FOUND, number=(policy_number or "")[:20])
    return row


def _premiums(connection, by_policy: dict, recent: bool) -> tuple[tuple[PremiumLine, ...], int, Decimal]:
    """(lines newest first, how many were paid, their total): the latest ones or all."""
    if not recent:
        lines = tuple(PremiumLine(*r) for r in PREMIUMS.rows(connection, by_policy))
        return lines, len(lines), sum((line.amount for line in lines), Decimal("0.00"))
    rows = _RECENT_PREMIUMS.rows(connection, by_policy)
    if not rows:
        return (), 0, Decimal("0.00")
    return tuple(PremiumLine(*r[:4]) for r in rows), rows[0][4], rows[0][5]


def _party(uow: "UnitOfWork", name: str, gender: str, birth_date: date, id_number_cipher: str) -> Party:
    id_number = uow.keyring.decrypt(id_number_cipher, context=ID_NUMBER_CONTEXT)
    return Party(name, gender, birth_date, mask_id_number(id_number))
