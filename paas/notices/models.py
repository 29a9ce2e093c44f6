"""The notices' records: policy events (what happened), notices (the signed letter made from
one), each notice's deliveries (one per channel) and the customers' choices of channel."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class PolicyEvent(Base):
    """Something that happened to a policy that the policyholder may be told about. One per
    policy, type, reference and date: whatever reruns, an event is raised once. Written only
    through ``paas.notices.events`` (one at a time) or ``paas.notices.bulk`` (the cycle)."""

    __tablename__ = "policy_events"
    # (id, policy_id) unique so a notice's event and policy are checked as one pair (Notice).
    __table_args__ = (UniqueConstraint("policy_id", "type", "reference", "event_date"), UniqueConstraint("id", "policy_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    type: Mapped[str] = mapped_column(String(32))  # a name in paas.notices.event_kinds.KINDS
    reference: Mapped[str] = mapped_column(String(40), default="", server_default="")  # "" when the kind takes none
    event_date: Mapped[date]
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON, checked against the kind
    created_at: Mapped[datetime]


class Notice(Base):
    """A letter to a customer: canonical data signed under a key id. The stored bytes are what
    was signed; anything shown or verified is read back from them, so an edit shows."""

    __tablename__ = "notices"
    # A notice about a policy is made from one of its events, an account notice from none: the
    # event and the policy are both set or both not, and checked as one pair - the event is
    # there and is about that policy (whose own key holds the policy there). One key check a
    # notice fewer than a key each (the cycle writes a hundred thousand a night), and stronger.
    __table_args__ = (Index("ix_notices_customer_created", "customer_id", "id"),
                      ForeignKeyConstraint(["event_id", "policy_id"], ["policy_events.id", "policy_events.policy_id"]),
                      CheckConstraint("(event_id IS NULL) = (policy_id IS NULL)", name="event_and_policy"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)  # the verification code on the letter
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    policy_id: Mapped[int | None] = mapped_column(index=True)
    event_id: Mapped[int | None] = mapped_column(unique=True)
    notice_type: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8))
    issued_on: Mapped[date]
    canonical: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[str] = mapped_column(String(120))
    key_id: Mapped[str] = mapped_column(String(64))
    read_at: Mapped[datetime | None]
    signed_pdf_key: Mapped[str | None] = mapped_column(String(200))  # object store, once PAdES-signed
    created_at: Mapped[datetime]


class NoticeDelivery(Base):
    """One notice on one channel (email / sms / paper): once only, by the unique key. Due from
    ``next_attempt_at``; a failure pushes it back (backoff) until it is sent or given up."""

    __tablename__ = "notice_deliveries"
    # print_batch is set only once a paper letter is printed: indexed where set, so the night's
    # hundred thousand new deliveries (NULL there) add no entry to it.
    __table_args__ = (UniqueConstraint("notice_id", "channel"), Index("ix_notice_deliveries_due", "status", "next_attempt_at"),
                      Index("ix_notice_deliveries_print_batch", "print_batch", postgresql_where=text("print_batch IS NOT NULL"),
                            sqlite_where=text("print_batch IS NOT NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"))
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str | None] = mapped_column(String(254))  # None for paper (the address is read when printed)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending / sent / failed / printed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(300))
    provider_id: Mapped[str | None] = mapped_column(String(120))
    sent_at: Mapped[datetime | None]
    print_batch: Mapped[str | None] = mapped_column(String(24))


class NoticePreference(Base):
    """A customer's choice for one notice type and channel; without a row, the customer's
    general choice (``Customer.notice_by_*``) holds."""

    __tablename__ = "notice_preferences"
    __table_args__ = (UniqueConstraint("customer_id", "notice_type", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    notice_type: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8))
    wanted: Mapped[bool]
    updated_at: Mapped[datetime]
