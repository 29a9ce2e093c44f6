"""Reading Stripe-shaped events (the sandbox emits the same shapes) into what they mean for
an order. Anything we do not act on comes back IGNORED, so it is acknowledged and dropped."""
from __future__ import annotations

import logging
from typing import Any

from iaas.payments.port import EXPIRED, FAILED, IGNORED, REFUND_FAILED, REFUNDED, SUCCEEDED, ProviderEvent

log = logging.getLogger(__name__)

_PAID = ("paid", "no_payment_required")


def provider_event(event: dict[str, Any]) -> ProviderEvent:
    base = {"id": str(event.get("id", "")), "type": str(event.get("type", "")), "created": int(event.get("created") or 0)}
    try:
        obj = event["data"]["object"]
        return ProviderEvent(**base, **_meaning(base["type"], obj))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        log.warning("payment event %s (%s) not understood: %r", base["id"], base["type"], exc)
        return ProviderEvent(**base, outcome=IGNORED)


def _meaning(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    common = {"currency": (obj.get("currency") or "").upper() or None, "metadata": dict(obj.get("metadata") or {})}
    if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
        # Completed but unpaid: a delayed method (bank transfer); its own event follows.
        outcome = SUCCEEDED if obj.get("payment_status") in _PAID else IGNORED
        return {**common, "outcome": outcome, "session_id": obj["id"], "payment_id": obj.get("payment_intent"),
                "amount_fen": _int(obj.get("amount_total"))}
    if kind == "checkout.session.async_payment_failed":
        return {**common, "outcome": FAILED, "session_id": obj["id"], "payment_id": obj.get("payment_intent"),
                "amount_fen": _int(obj.get("amount_total")), "failure_reason": "async_payment_failed"}
    if kind == "checkout.session.expired":
        return {**common, "outcome": EXPIRED, "session_id": obj["id"], "amount_fen": _int(obj.get("amount_total"))}
    if kind == "payment_intent.payment_failed":
        error = obj.get("last_payment_error") or {}
        reason = error.get("decline_code") or error.get("code") or "payment_failed"
        return {**common, "outcome": FAILED, "payment_id": obj["id"], "amount_fen": _int(obj.get("amount")),
                "failure_reason": str(reason)[:60]}
    if kind == "charge.refunded":
        return {**common, "outcome": REFUNDED, "payment_id": obj.get("payment_intent"), "amount_fen": _int(obj.get("amount")),
                "refunded_fen": _int(obj.get("amount_refunded"))}
    if kind == "refund.failed":  # the object is the Refund itself, failed after it was accepted
        return {**common, "outcome": REFUND_FAILED, "payment_id": obj.get("payment_intent"), "refund_id": str(obj["id"]),
                "amount_fen": _int(obj.get("amount")), "failure_reason": str(obj.get("failure_reason") or "refund_failed")[:60]}
    return {**common, "outcome": IGNORED}


def _int(value: Any) -> int | None:
    return None if value is None else int(value)
