from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from paas.persistence import Base


# A claim in any of these is still being handled: it blocks conflicting servicing.
OPEN_STATUSES = ("reported", "under_review", "awaiting_second_approval", "approved")


class Claim(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)  # who reported it
    kind: Mapped[str] = mapped_column(String(24))  # death / critical_illness / hospitalisation / disability / maturity
    incident_date: Mapped[date]
    facts_cipher: Mapped[str] = mapped_column(Text)  # health facts: encrypted like ID numbers
    claimant_name: Mapped[str] = mapped_column(String(60))
    payee_bank_account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id"))
    # reported -> under_review -> awaiting_second_approval -> approved -> paid ; any open -> declined / withdrawn
    status: Mapped[str] = mapped_column(String(24), index=True)
    benefit: Mapped[Decimal | None]  # as computed from the policy when decided
    approved_amount: Mapped[Decimal | None]
    decision_reason: Mapped[str | None] = mapped_column(String(300))
    # Approved but paid to a bank account added lately: the payment waits until then (paas.claims.payout_hold).
    payout_hold_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    timeline: Mapped[list["ClaimEvent"]] = relationship(order_by="ClaimEvent.id", cascade="all, delete-orphan")
    approvals: Mapped[list["ClaimApproval"]] = relationship(order_by="ClaimApproval.id", cascade="all, delete-orphan")


class ClaimEvent(Base):
    """The claim's timeline as the claimant sees it: every status with its date and, on a
    decision, the reason in plain words."""

    __tablename__ = "claim_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(String(300))
    occurred_at: Mapped[datetime]


class ClaimApproval(Base):
    """An adjuster's approval. Above the first approver's authority a second approval, by a
    different person of a higher level, is needed before anything is paid."""

    __tablename__ = "claim_approvals"
    __table_args__ = (UniqueConstraint("claim_id", "approver_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    approver_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    authority_level: Mapped[int]
    amount: Mapped[Decimal]
    approved_at: Mapped[datetime]


class ClaimPayment(Base):
    """The payout. One per claim, by a unique constraint: a claim approved twice pays once."""

    __tablename__ = "claim_payments"
    __table_args__ = (UniqueConstraint("claim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    amount: Mapped[Decimal]
    bank_account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id"))
    paid_on: Mapped[date]
    created_at: Mapped[datetime]
