"""What a policyholder sees of their policies (queries 1 and 2 of the catalogue): the asset
sheet and one policy in full. Every query is scoped to the owner: another customer's policy
is simply not found."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from paas.customers.masking import mask_id_number
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.errors import N_, NotFound
from paas.money import to_fen
from paas.numbering import POLICY_NUMBER
from paas.policies.models import Beneficiary, Policy, PremiumPayment
from paas.policies.terms import COVER_STATUSES, PAYMENTS_PER_YEAR, next_due_date
from paas.products.models import Product

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

POLICY_NOT_FOUND = N_("We could not find policy %(number)s among your policies.")


@dataclass(frozen=True)
class PolicySummary:
    policy_number: str
    product_code: str
    product_name_zh: str
    product_name_en: str
    insured_name: str
    status: str
    sum_assured: Decimal
    modal_premium: Decimal
    premium_mode: str
    next_due_date: date | None

    @property
    def annual_premium(self) -> Decimal:
        if self.next_due_date is None:
            return Decimal("0.00")
        return to_fen(self.modal_premium * PAYMENTS_PER_YEAR[self.premium_mode])

    def product_name(self, locale: str) -> str:
        return self.product_name_zh if locale == "zh" else self.product_name_en


@dataclass(frozen=True)
class AssetSheet:
    policies: tuple[PolicySummary, ...]

    @property
    def total_cover(self) -> Decimal:
        return sum((p.sum_assured for p in self.policies if p.status in COVER_STATUSES), Decimal("0.00"))

    @property
    def total_annual_premium(self) -> Decimal:
        return sum((p.annual_premium for p in self.policies), Decimal("0.00"))

    @property
    def in_force_count(self) -> int:
        return sum(1 for p in self.policies if p.status in COVER_STATUSES)

    @property
    def next_due(self) -> PolicySummary | None:
        due = [p for p in self.policies if p.next_due_date is not None]
        return min(due, key=lambda p: p.next_due_date) if due else None


_insured = aliased(Customer)

_SUMMARY_COLUMNS = (
    Policy.policy_number,
    Product.code,
    Product.name_zh,
    Product.name_en,
    _insured.name,
    Policy.status,
    Policy.sum_assured,
    Policy.modal_premium,
    Policy.premium_mode,
    Policy.paid_to_date,
    Policy.premium_end_date,
)


def _summary(row) -> PolicySummary:
    number, code, name_zh, name_en, insured, status, sum_assured, premium, mode, paid_to, premium_end = row
    return PolicySummary(
        number, code, name_zh, name_en, insured, status, sum_assured, premium, mode,
        next_due_date(status, mode, paid_to, premium_end),
    )


def _summaries_query(*conditions):
    return (
        select(*_SUMMARY_COLUMNS)
        .join(Product, Product.id == Policy.product_id)
        .join(_insured, _insured.id == Policy.insured_id)
        .where(*conditions)
        .order_by(Policy.issue_date.desc(), Policy.id.desc())
    )


# The asset sheet is the most visited page: its statement is built once.
_ASSET_SHEET = _summaries_query(Policy.owner_id == bindparam("owner_id"))


def policy_summaries(uow: "UnitOfWork", *conditions) -> tuple[PolicySummary, ...]:
    """Summaries of the policies matching ``conditions`` (columns of ``Policy``), newest first."""
    return tuple(_summary(row) for row in uow.session.connection().execute(_summaries_query(*conditions)))


def asset_sheet(uow: "UnitOfWork", customer_id: int) -> AssetSheet:
    rows = uow.session.connection().execute(_ASSET_SHEET, {"owner_id": customer_id})
    return AssetSheet(tuple(_summary(row) for row in rows))


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
    owner: Party
    insured: Party
    beneficiaries: tuple[BeneficiaryLine, ...]
    premiums: tuple[PremiumLine, ...]

    @property
    def total_premiums_paid(self) -> Decimal:
        return sum((p.amount for p in self.premiums), Decimal("0.00"))

    def description(self, locale: str) -> str:
        return self.description_zh if locale == "zh" else self.description_en


_owner = aliased(Customer)
_POLICY = (
    select(
        Policy.id, Policy.policy_number, Policy.status, Policy.sum_assured, Policy.modal_premium,
        Policy.premium_mode, Policy.issue_date, Policy.expiry_date, Policy.premium_end_date,
        Policy.paid_to_date, Policy.currency,
        Product.code, Product.name_zh, Product.name_en, Product.category, Product.description_zh,
        Product.description_en,
        _owner.name, _owner.gender, _owner.birth_date, _owner.id_number_cipher,
        _insured.name, _insured.gender, _insured.birth_date, _insured.id_number_cipher,
    )
    .join(Product, Product.id == Policy.product_id)
    .join(_owner, _owner.id == Policy.owner_id)
    .join(_insured, _insured.id == Policy.insured_id)
    .where(Policy.policy_number == bindparam("number"), Policy.owner_id == bindparam("owner_id"))
)
_BENEFICIARIES = (
    select(Beneficiary.name, Beneficiary.relationship_to_insured, Beneficiary.rank, Beneficiary.share)
    .where(Beneficiary.policy_id == bindparam("policy_id"))
    .order_by(Beneficiary.rank, Beneficiary.id)
)
_PREMIUMS = (
    select(PremiumPayment.due_date, PremiumPayment.amount, PremiumPayment.paid_on, PremiumPayment.channel)
    .where(PremiumPayment.policy_id == bindparam("policy_id"))
    .order_by(PremiumPayment.due_date.desc())
)


def policy_detail(uow: "UnitOfWork", customer_id: int, policy_number: str) -> PolicyDetail:
    connection = uow.session.connection()
    number = POLICY_NUMBER.normalise(policy_number)
    row = None
    if number is not None:
        row = connection.execute(_POLICY, {"number": number, "owner_id": customer_id}).one_or_none()
    if row is None:
        # The same answer whether the policy does not exist or belongs to someone else.
        raise NotFound(POLICY_NOT_FOUND, number=(policy_number or "")[:20])
    (policy_id, number, status, sum_assured, premium, mode, issued, expiry, premium_end, paid_to, currency,
     code, name_zh, name_en, category, description_zh, description_en, *parties) = row
    summary = PolicySummary(
        number, code, name_zh, name_en, parties[4], status, sum_assured, premium, mode,
        next_due_date(status, mode, paid_to, premium_end),
    )
    return PolicyDetail(
        summary=summary,
        product_category=category,
        description_zh=description_zh,
        description_en=description_en,
        issue_date=issued,
        expiry_date=expiry,
        premium_end_date=premium_end,
        paid_to_date=paid_to,
        currency=currency,
        owner=_party(uow, *parties[:4]),
        insured=_party(uow, *parties[4:]),
        beneficiaries=tuple(BeneficiaryLine(*r) for r in connection.execute(_BENEFICIARIES, {"policy_id": policy_id})),
        premiums=tuple(PremiumLine(*r) for r in connection.execute(_PREMIUMS, {"policy_id": policy_id})),
    )


def _party(uow: "UnitOfWork", name: str, gender: str, birth_date: date, id_number_cipher: str) -> Party:
    id_number = uow.keyring.decrypt(id_number_cipher, context=ID_NUMBER_CONTEXT)
    return Party(name, gender, birth_date, mask_id_number(id_number))
