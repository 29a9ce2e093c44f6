from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class ServiceRequest(Base):
    """One servicing transaction from submission to its end. ``inputs`` are the checked
    values and ``preview`` what the person confirmed; ``idempotency_key`` comes from the
    form or the API caller, so a resubmitted form is the same request, not a second one."""

    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # web / console / api / sms
    # awaiting_code -> pending_review | held | applied ; held -> applied (at hold_until) | cancelled ; pending_review -> applied | rejected ; any open -> cancelled | expired
    status: Mapped[str] = mapped_column(String(16), index=True)
    inputs: Mapped[str] = mapped_column(Text)  # JSON
    preview: Mapped[str] = mapped_column(Text)  # JSON
    conflict_groups: Mapped[str] = mapped_column(String(80))  # comma-separated
    submitted_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    on_behalf: Mapped[bool] = mapped_column(default=False)  # a clerk acting for the customer
    step_up: Mapped[str] = mapped_column(String(8))  # none / sms / totp
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_sent_to: Mapped[str | None] = mapped_column(String(20))
    code_expires_at: Mapped[datetime | None]
    code_attempts: Mapped[int] = mapped_column(default=0)
    code_resends: Mapped[int] = mapped_column(default=0, server_default="0")  # new codes asked for
    # A new mobile or e-mail is confirmed on itself too: the second code, sent there.
    contact_code_hash: Mapped[str | None] = mapped_column(String(64))
    contact_code_sent_to: Mapped[str | None] = mapped_column(String(254))
    # A payout to a bank account added lately waits until then (status "held").
    hold_until: Mapped[datetime | None]
    review_queue: Mapped[str | None] = mapped_column(String(16))  # clerk / underwriter
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    decision_note: Mapped[str | None] = mapped_column(String(300))
    outcome: Mapped[str | None] = mapped_column(Text)  # JSON: what applying it did
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]
