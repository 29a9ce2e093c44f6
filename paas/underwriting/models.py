"""An application for new cover, from draft to issued policy, with the underwriters' steps on it."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from paas.persistence import Base


class Application(Base):
    """``details`` holds what the applicant typed (JSON: insured, beneficiaries, answers...);
    the columns are what the desk, the rules and the statistics select on."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_status_submitted", "status", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # NB + 10 hex, shown and in URLs
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)  # who applies (and alone may see it)
    owner_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    insured_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)  # set at submission
    status: Mapped[str] = mapped_column(String(20))  # see paas.underwriting.states
    product_code: Mapped[str] = mapped_column(String(32))
    product_version: Mapped[int]
    sum_assured: Mapped[Decimal | None]
    term_years: Mapped[int | None]
    premium_term: Mapped[str | None] = mapped_column(String(12))
    premium_mode: Mapped[str | None] = mapped_column(String(12))
    modal_premium: Mapped[Decimal | None]  # standard rates, as quoted
    details: Mapped[str] = mapped_column(Text, default="{}")
    rulebook_version: Mapped[int | None]
    rule_outcome: Mapped[str | None] = mapped_column(String(8))  # accept / refer / decline (what the rules said)
    findings: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{code, outcome, params}]
    # The decision in force and what it offers: standard / rated / exclusion / postpone / decline.
    decision: Mapped[str | None] = mapped_column(String(12))
    extra_premium_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    offered_premium: Mapped[Decimal | None]  # the modal premium with the rating, re-priced
    exclusion: Mapped[str | None] = mapped_column(String(500))
    told_reason: Mapped[str | None] = mapped_column(String(500))  # plain words the applicant reads
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("policies.id"), index=True)
    payment_order_id: Mapped[int | None] = mapped_column(ForeignKey("payment_orders.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]  # also: the start of waiting in the queue (reset when evidence comes)
    first_submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    issued_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    steps: Mapped[list["UnderwritingStep"]] = relationship(
        back_populates="application", order_by="UnderwritingStep.id", cascade="all, delete-orphan")
    evidence: Mapped[list["EvidenceRequest"]] = relationship(
        back_populates="application", order_by="EvidenceRequest.id", cascade="all, delete-orphan")


class UnderwritingStep(Base):
    """One underwriter's decision (or a second approver's agreement) on an application."""

    __tablename__ = "underwriting_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    underwriter_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    authority_level: Mapped[int]
    decision: Mapped[str] = mapped_column(String(12))  # standard / rated / exclusion / postpone / decline / evidence / agree
    extra_premium_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    exclusion: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(String(500))
    awaiting_second: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]

    application: Mapped[Application] = relationship(back_populates="steps")


class EvidenceRequest(Base):
    """More the underwriter asked for: a document to upload, or a medical examination (体检)
    booked from the slots offered. The case waits until every request is answered."""

    __tablename__ = "evidence_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # document / exam
    note: Mapped[str] = mapped_column(String(300))
    slots: Mapped[str] = mapped_column(Text, default="[]")  # exam: JSON list of ISO datetimes offered
    booked_slot: Mapped[str | None] = mapped_column(String(32))
    document_reference: Mapped[str | None] = mapped_column(String(24))
    asked_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]

    application: Mapped[Application] = relationship(back_populates="evidence")
