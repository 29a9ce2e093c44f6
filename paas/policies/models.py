from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from paas.customers.models import Customer
from paas.persistence import Base
from paas.products.models import Product

BENEFICIARY_ID_CONTEXT = "beneficiary.id_number"


class Policy(Base):
    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_number: Mapped[str] = mapped_column(String(16), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    insured_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    issue_date: Mapped[date]
    expiry_date: Mapped[date | None]  # end of cover (term end or maturity); None = whole life
    sum_assured: Mapped[Decimal]
    modal_premium: Mapped[Decimal]
    premium_mode: Mapped[str] = mapped_column(String(12))
    premium_end_date: Mapped[date | None]  # last premium falls before this date
    paid_to_date: Mapped[date]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status_date: Mapped[date]  # when the current status began
    # Participating policies: what happens to each year's dividend (paas.dividends.options).
    dividend_option: Mapped[str | None] = mapped_column(String(20))
    # Set when the policy became reduced paid-up: the cover kept without further premiums.
    paid_up_sum_assured: Mapped[Decimal | None]
    # Automatic premium loan (自动垫交): an unpaid premium is lent from the cash value instead
    # of the policy lapsing, while the cash value allows.
    automatic_premium_loan: Mapped[bool] = mapped_column(default=False, server_default=false())
    # How renewal premiums are paid: bank_debit (from debit_bank_account_id) or online.
    payment_method: Mapped[str] = mapped_column(String(16), default="bank_debit", server_default="bank_debit")
    debit_bank_account_id: Mapped[int | None] = mapped_column(ForeignKey("bank_accounts.id"))
    # A premium mode change waits for the next anniversary; the cycle switches it then.
    next_premium_mode: Mapped[str | None] = mapped_column(String(12))
    # Unit-linked: how future premiums are split between funds, as JSON {fund code: percent}.
    fund_allocation: Mapped[str | None] = mapped_column(Text)
    # Paid-up additions bought with dividends: extra whole-life cover on top of the sum assured.
    paid_up_additions: Mapped[Decimal] = mapped_column(default=Decimal("0.00"), server_default="0")
    created_at: Mapped[datetime]
    # Bumped by every change, so concurrent servicing can detect that it lost a race.
    version: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship()
    owner: Mapped[Customer] = relationship(foreign_keys=[owner_id])
    insured: Mapped[Customer] = relationship(foreign_keys=[insured_id])
    beneficiaries: Mapped[list["Beneficiary"]] = relationship(
        back_populates="policy", order_by="(Beneficiary.rank, Beneficiary.id)", cascade="all, delete-orphan"
    )
    premiums: Mapped[list["PremiumPayment"]] = relationship(
        back_populates="policy", order_by="PremiumPayment.due_date", cascade="all, delete-orphan"
    )


class Beneficiary(Base):
    __tablename__ = "beneficiaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    relationship_to_insured: Mapped[str] = mapped_column(String(16))
    id_number_cipher: Mapped[str | None] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(default=1)  # 1 = first in line, 2 = if none of rank 1 survives
    share: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # percent of the benefit within the rank

    policy: Mapped[Policy] = relationship(back_populates="beneficiaries")


class PremiumPayment(Base):
    """The premium ledger: one credit per premium due, however it was settled. The unique
    (policy, due date) pair is what makes every credit happen once, whatever retries."""

    __tablename__ = "premium_payments"
    __table_args__ = (UniqueConstraint("policy_id", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    due_date: Mapped[date]
    amount: Mapped[Decimal]
    paid_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(16))  # bank_debit / card / counter / loan
    # payment: the customer paid; apl: an automatic premium loan paid it.
    kind: Mapped[str] = mapped_column(String(12), default="payment", server_default="payment")
    # The payment order (or loan) that settled it; none for history imported from elsewhere.
    reference: Mapped[str | None] = mapped_column(String(80))

    policy: Mapped[Policy] = relationship(back_populates="premiums")


class PolicyLedgerEntry(Base):
    """Money the insurer holds for a policy: accumulated dividends and survival benefits left
    to grow at interest. A balance is the sum of its entries; each entry is written once
    (``reference`` is unique), so a retried credit or withdrawal cannot count twice."""

    __tablename__ = "policy_ledger"
    # A balance is read at every withdrawal and valuation: on PostgreSQL from this index alone
    # (the account's entries of the policy, their amounts in the index), not from every entry's row.
    __table_args__ = (Index("ix_policy_ledger_policy_account", "policy_id", "account", postgresql_include=["amount"]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    account: Mapped[str] = mapped_column(String(24))  # dividends / survival_benefits
    kind: Mapped[str] = mapped_column(String(16))  # credit / interest / withdrawal
    entry_date: Mapped[date]
    amount: Mapped[Decimal]  # positive in, negative out
    reference: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime]
