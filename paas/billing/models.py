from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from paas.persistence import Base


class PaymentOrder(Base):
    """One attempt to pay one or more premiums due online. ``idempotency_key`` is derived
    from the dues it pays, so two tabs, a double click or a retry find the same order, and
    the provider is asked for one charge under that key."""

    __tablename__ = "payment_orders"
    __table_args__ = (  # the few a person must look at (paas.billing.attention), found without a scan
        Index("ix_payment_orders_needs_review", "id", postgresql_where=text("status = 'needs_review'"),
              sqlite_where=text("status = 'needs_review'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)  # shown to the customer
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    # pending -> succeeded | failed | expired; succeeded -> refunded / partially_refunded
    status: Mapped[str] = mapped_column(String(20), default="pending")
    provider: Mapped[str] = mapped_column(String(12))  # sandbox / stripe
    provider_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    provider_payment_id: Mapped[str | None] = mapped_column(String(255))
    checkout_url: Mapped[str | None] = mapped_column(String(1000))
    # The paying card's last four digits (the provider's, never more), once the card was accepted.
    card_last4: Mapped[str | None] = mapped_column(String(4))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    refunded_amount: Mapped[Decimal] = mapped_column(default=Decimal("0.00"), server_default="0")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]

    items: Mapped[list["PaymentOrderItem"]] = relationship(
        back_populates="order", order_by="PaymentOrderItem.id", cascade="all, delete-orphan"
    )


class PaymentOrderItem(Base):
    """A premium due that an order pays. While the order can still succeed the item is
    ``active``, and a due can be in only one active item: a second order for it is refused
    by the database, whichever request gets there first."""

    __tablename__ = "payment_order_items"
    __table_args__ = (
        Index(
            "uq_payment_order_items_active_due", "policy_id", "due_date", unique=True,
            postgresql_where=text("active"), sqlite_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_orders.id"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    due_date: Mapped[date]
    amount: Mapped[Decimal]
    active: Mapped[bool] = mapped_column(default=True)

    order: Mapped[PaymentOrder] = relationship(back_populates="items")


class PaymentRefund(Base):
    """Money sent back through the payment port (free-look cancellation, overpayment)."""

    __tablename__ = "payment_refunds"
    __table_args__ = (
        Index("ix_payment_refunds_failed", "id", postgresql_where=text("status = 'failed'"),
              sqlite_where=text("status = 'failed'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_orders.id"), index=True)
    amount: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    provider_refund_id: Mapped[str | None] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending / succeeded / failed
    created_at: Mapped[datetime]
    # A failed refund waits for a person to pay the customer another way (console /payments).
    failure_reason: Mapped[str | None] = mapped_column(String(200))  # the provider's code
    failed_at: Mapped[datetime | None]
    # A failed refund paid back another way (bank transfer, at the counter): who said so, and how.
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    resolution_note: Mapped[str | None] = mapped_column(String(300))


class WebhookEvent(Base):
    """A provider event already acted on. Written in the same transaction as its effect, so
    a replayed event finds its id here and changes nothing."""

    __tablename__ = "webhook_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    provider: Mapped[str] = mapped_column(String(12))
    type: Mapped[str] = mapped_column(String(64))
    order_reference: Mapped[str | None] = mapped_column(String(24))
    received_at: Mapped[datetime]
