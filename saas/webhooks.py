"""Webhooks from providers. Not a page: no session, no CSRF token (the signature on the raw
body is the proof), a short JSON answer. 400 says "not genuine" and keeps nothing; 200 says
"received" (also for a replay), so the provider stops retrying; anything else it retries."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from paas.billing.webhooks import SIGNATURE_HEADER, WebhookRejected, handle_event
from saas.transaction import uow

blueprint = Blueprint("webhooks", __name__)


@blueprint.post("/webhooks/payments")
def payment_events():
    try:
        outcome = handle_event(uow(), request.get_data(cache=False), request.headers.get(SIGNATURE_HEADER))
    except WebhookRejected:
        return jsonify({"error": {"code": "invalid_signature", "message": "The signature does not verify."}}), 400
    return jsonify({"received": True, "outcome": outcome})
