"""Payment gateways: card payments through a hosted checkout page, confirmed by signed
webhooks, and refunds. Embedded default: a sandbox that behaves like Stripe's test mode
(``iaas.payments.sandbox``); cloud: Stripe (``iaas.payments.stripe_gateway``). Both sign and
verify webhooks the same way, so the same code path runs in development and production."""
from __future__ import annotations

from iaas.payments.port import (
    AccountCheck,
    AccountCheckResult,
    EXPIRED,
    FAILED,
    IGNORED,
    REFUND_FAILED,
    REFUNDED,
    SUCCEEDED,
    Checkout,
    CheckoutLine,
    CheckoutRequest,
    InvalidSignature,
    PaymentGateway,
    PaymentProviderError,
    ProviderEvent,
    RefundResult,
)

__all__ = [
    "AccountCheck", "AccountCheckResult",
    "EXPIRED", "FAILED", "IGNORED", "REFUND_FAILED", "REFUNDED", "SUCCEEDED", "Checkout", "CheckoutLine", "CheckoutRequest",
    "InvalidSignature", "PaymentGateway", "PaymentProviderError", "ProviderEvent", "RefundResult",
]
