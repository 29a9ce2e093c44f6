"""The payment port: what the platform asks of a payment provider. Amounts cross it as whole
fen (CNY minor units), the way providers count money."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

# What a provider event means for an order.
SUCCEEDED, FAILED, EXPIRED, REFUNDED, IGNORED = "succeeded", "failed", "expired", "refunded", "ignored"
# A refund the provider had accepted did not reach the card after all (``refund.failed``).
REFUND_FAILED = "refund_failed"


class InvalidSignature(Exception):
    """A webhook whose signature is missing, wrong or too old: not from the provider."""


class PaymentProviderError(Exception):
    """The provider could not be reached, or refused the request."""


@dataclass(frozen=True)
class CheckoutLine:
    description: str
    amount_fen: int


@dataclass(frozen=True)
class CheckoutRequest:
    """Everything in it must follow from the idempotency key alone: a retry with the same key
    and different parameters is refused by the provider (Stripe does, so the sandbox does)."""

    currency: str  # ISO 4217, e.g. "CNY"
    idempotency_key: str
    lines: tuple[CheckoutLine, ...]
    metadata: Mapping[str, str]
    success_url: str  # may contain {CHECKOUT_SESSION_ID}, replaced by the provider
    cancel_url: str
    expires_at: int | None = None  # Unix time the provider closes the checkout unpaid (Stripe: 30 min to 24 h ahead)

    @property
    def amount_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


@dataclass(frozen=True)
class Checkout:
    session_id: str
    url: str


@dataclass(frozen=True)
class ProviderEvent:
    id: str
    type: str
    created: int
    outcome: str  # SUCCEEDED / FAILED / EXPIRED / REFUNDED / REFUND_FAILED / IGNORED
    session_id: str | None = None
    payment_id: str | None = None
    amount_fen: int | None = None
    currency: str | None = None  # upper case
    metadata: Mapping[str, str] = field(default_factory=dict)
    failure_reason: str | None = None  # the provider's decline or error code
    refunded_fen: int | None = None  # REFUNDED: the total refunded on the payment so far
    refund_id: str | None = None  # REFUND_FAILED: the provider's id of the refund ("re_...")


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    status: str  # pending / succeeded / failed


@dataclass(frozen=True)
class AccountCheck:
    """A bank-card four-element check (四要素): does the bank hold this card for this person,
    this ID number and this mobile? The platform sends the name, ID and mobile on file."""

    holder_name: str
    id_number: str
    card_number: str  # digits only
    mobile: str  # E.164


@dataclass(frozen=True)
class AccountCheckResult:
    verified: bool
    reason: str | None = None  # when not: mismatch / card_blocked / unknown_card
    bank_name: str | None = None  # the issuing bank, when the provider tells


class PaymentGateway(Protocol):
    name: str

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        """A hosted checkout page for the amount; the same key returns the same page."""

    def expire_checkout(self, session_id: str) -> bool:
        """Close an unpaid checkout. False if it was already paid (its event will come)."""

    def card_last4(self, session_id: str) -> str | None:
        """The last four digits of the card that paid the checkout; None while unpaid."""

    def parse_event(self, raw_body: bytes, signature_header: str | None) -> ProviderEvent:
        """Verify a webhook on its raw body and read it; raise InvalidSignature if not genuine."""

    def refund(self, payment_id: str, amount_fen: int, idempotency_key: str) -> RefundResult:
        """Send money back to the card; the same key refunds once."""

    def verify_bank_account(self, check: AccountCheck) -> AccountCheckResult:
        """The bank's answer to a four-element check; PaymentProviderError if it cannot tell."""
