"""Stripe-shaped event bodies, as Stripe's API version 2024-06-20 writes them (the fields we
read and a few around them), so the sandbox exercises the same parsing as production."""
from __future__ import annotations

import secrets
import time
from typing import Any

API_VERSION = "2024-06-20"


def event(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"evt_test_{secrets.token_hex(12)}", "object": "event", "api_version": API_VERSION,
            "created": int(time.time()), "livemode": False, "type": kind, "data": {"object": obj}}


def checkout_session(session: dict[str, Any], *, status: str, payment_status: str) -> dict[str, Any]:
    request = session["request"]
    return {"id": session["id"], "object": "checkout.session", "mode": "payment", "status": status,
            "payment_status": payment_status, "amount_total": session["amount"], "currency": request["currency"].lower(),
            "payment_intent": session["payment_intent"], "metadata": request["metadata"],
            "client_reference_id": request["metadata"].get("order_key"), "livemode": False}


def payment_intent_failed(session: dict[str, Any], code: str) -> dict[str, Any]:
    request = session["request"]
    return {"id": session["payment_intent"], "object": "payment_intent", "amount": session["amount"],
            "currency": request["currency"].lower(), "status": "requires_payment_method", "metadata": request["metadata"],
            "last_payment_error": {"type": "card_error", "code": "card_declined", "decline_code": code,
                                   "message": "Your card was declined."}}


def charge_refunded(session: dict[str, Any], refunded: int) -> dict[str, Any]:
    request = session["request"]
    return {"id": "ch_" + session["payment_intent"][3:], "object": "charge", "payment_intent": session["payment_intent"],
            "amount": session["amount"], "amount_refunded": refunded, "refunded": refunded >= session["amount"],
            "currency": request["currency"].lower(), "metadata": request["metadata"], "status": "succeeded"}


def refund(session: dict[str, Any], refund_id: str, amount: int, *, status: str, created: int,
           failure_reason: str | None = None) -> dict[str, Any]:
    """A Refund object (``refund.*`` events carry it as ``data.object``)."""
    body = {"id": refund_id, "object": "refund", "amount": amount, "currency": session["request"]["currency"].lower(),
            "payment_intent": session["payment_intent"], "charge": "ch_" + session["payment_intent"][3:],
            "created": created, "metadata": {}, "reason": None, "status": status, "balance_transaction": None,
            "destination_details": {"type": "card", "card": {"type": "refund"}}}
    if failure_reason:
        body["failure_reason"] = failure_reason
        body["failure_balance_transaction"] = f"txn_test_{secrets.token_hex(12)}"
    return body
