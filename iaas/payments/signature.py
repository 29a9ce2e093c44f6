"""Webhook signatures, Stripe's scheme for both gateways: ``Stripe-Signature: t=<unix time>,
v1=<HMAC-SHA256(secret, "<t>.<raw body>")>``, checked by the official library on the raw
body, with stale timestamps refused (a captured request cannot be replayed later)."""
from __future__ import annotations

import json
from typing import Any

from stripe import SignatureVerificationError, WebhookSignature

from iaas.payments.port import InvalidSignature

HEADER = "Stripe-Signature"
TOLERANCE_SECONDS = 300


def signature_header(payload: str, secret: str, timestamp: int | None = None) -> str:
    return WebhookSignature.generate_signature_header(payload, secret, timestamp)


def verified_payload(raw_body: bytes, header: str | None, secret: str) -> dict[str, Any]:
    try:
        WebhookSignature.verify_header(raw_body, header, secret, TOLERANCE_SECONDS)
        payload = json.loads(raw_body)
    except (SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidSignature(str(exc).splitlines()[0][:200]) from None
    if not isinstance(payload, dict):
        raise InvalidSignature("the payload is not an event object")
    return payload
