"""The asset sheet (一账通, queries 1-6 in summary): every policy a customer owns with its
values today, and the totals. Scoped to the owner by the caller's condition."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select

from iaas.bulk_rows import DIALECTS, one_of
from iaas.database import DirectStatement
from paas.money import to_fen
from paas.policies.facts import FACT_COLUMNS, facts_from, insured, with_facts
from paas.policies.models import Policy
from paas.policies.terms import COVER_STATUSES, GRACE, PAID_UP, PAYMENTS_PER_YEAR, grace_ends, next_due_date
from paas.policies.valuation import PolicyFacts, PolicyValuation, value_policy
from paas.products.models import Product

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

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
    valuation: PolicyValuation
    # A reduced paid-up policy covers its reduced sum (``sum_assured``); this is what it was.
    original_sum_assured: Decimal | None = None

    @property
    def grace_ends(self) -> date | None:
        """In grace: the premium due on the next due date is overdue, and cover ends on this day."""
        return grace_ends(self.next_due_date) if self.status == GRACE and self.next_due_date else None

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
    def total_cash_value(self) -> Decimal:
        return sum((p.valuation.cash_value for p in self.policies), Decimal("0.00"))

    @property
    def total_accumulated(self) -> Decimal:
        """Dividends and survival benefits the insurer holds for the customer."""
        return sum((p.valuation.dividends_held + p.valuation.survival_benefits_held for p in self.policies),
                   Decimal("0.00"))

    @property
    def total_debt(self) -> Decimal:
        return sum((p.valuation.debt for p in self.policies), Decimal("0.00"))

    @property
    def next_due(self) -> PolicySummary | None:
        due = [p for p in self.policies if p.next_due_date is not None]
        return min(due, key=lambda p: p.next_due_date) if due else None


_SUMMARY_COLUMNS = (Policy.policy_number, Product.name_zh, Product.name_en, insured.name, *FACT_COLUMNS)


def _summary(row, today: date) -> PolicySummary:
    number, name_zh, name_en, insured_name, *fact_values = row
    return summary_of(number, name_zh, name_en, insured_name, facts_from(fact_values), today)


def summary_of(number: str, name_zh: str, name_en: str, insured_name: str, facts: PolicyFacts, today: date) -> PolicySummary:
    reduced = facts.paid_up_sum_assured if facts.status == PAID_UP else None
    return PolicySummary(
        number, facts.product_code, name_zh, name_en, insured_name, facts.status,
        reduced if reduced is not None else facts.sum_assured,
        facts.modal_premium, facts.premium_mode,
        next_due_date(facts.status, facts.premium_mode, facts.paid_to_date, facts.premium_end_date),
        value_policy(facts, today), original_sum_assured=facts.sum_assured if reduced is not None else None,
    )


def _summaries_query(*conditions):
    return with_facts(select(*_SUMMARY_COLUMNS)).where(*conditions).order_by(Policy.issue_date.desc(), Policy.id.desc())


# The asset sheet is the most visited page: its statement is built once.
_ASSET_SHEET = _summaries_query(Policy.owner_id == bindparam("owner_id"))


def policy_summaries(uow: "UnitOfWork", *conditions) -> tuple[PolicySummary, ...]:
    """Summaries of the policies matching ``conditions`` (columns of ``Policy``), newest first."""
    today = uow.clock.today()
    rows = uow.connection().execute(_summaries_query(*conditions), {"today": today})
    return tuple(_summary(row, today) for row in rows)


def asset_sheet(uow: "UnitOfWork", customer_id: int) -> AssetSheet:
    today = uow.clock.today()
    rows = uow.connection().execute(_ASSET_SHEET, {"owner_id": customer_id, "today": today})
    return AssetSheet(tuple(_summary(row, today) for row in rows))


_ASSET_SHEETS = {dialect: with_facts(select(*_SUMMARY_COLUMNS, Policy.owner_id))
                 .where(one_of(Policy.owner_id, "owner_ids", dialect))
                 .order_by(Policy.issue_date.desc(), Policy.id.desc()) for dialect in DIALECTS}


def asset_sheets(uow: "UnitOfWork", customer_ids: set[int]) -> dict[int, AssetSheet]:
    """``asset_sheet`` of several customers in one query (a batch of SMS queries)."""
    if not customer_ids:
        return {}
    today = uow.clock.today()
    policies: dict[int, list[PolicySummary]] = {customer_id: [] for customer_id in customer_ids}
    connection = uow.connection()
    for row in connection.execute(_ASSET_SHEETS[connection.dialect.name], {"owner_ids": sorted(customer_ids), "today": today}):
        policies[row.owner_id].append(_summary(row[:-1], today))
    return {customer_id: AssetSheet(tuple(found)) for customer_id, found in policies.items()}


_WITH_SCALAR: dict[object, DirectStatement] = {}


def asset_sheet_with(uow: "UnitOfWork", customer_id: int, scalar) -> tuple[AssetSheet, object | None]:
    """The asset sheet and, in the same round trip, another figure about the owner: a scalar
    subquery of another package taking the bind parameter ``owner_id`` (the page's unread
    notices). The figure is None when the owner has no policies (no row to carry it)."""
    statement = _WITH_SCALAR.get(scalar)
    if statement is None:  # built once per figure, as the sheet's own statement is, run on the DBAPI cursor
        statement = _WITH_SCALAR[scalar] = DirectStatement(_ASSET_SHEET.add_columns(scalar))
    today = uow.clock.today()
    rows = statement.rows(uow.connection(), {"owner_id": customer_id, "today": today})
    sheet = AssetSheet(tuple(_summary(row[:-1], today) for row in rows))
    return sheet, rows[0][-1] if rows else None
