"""Webhooks from providers. Not a page: no session, no CSRF token (the signature on the raw
body is the proof), a short JSON answer. 400 says "not genuine" and keeps nothing; 200 says
"received" (also for a replay), so the provider stops retrying; anything else it retries -
503 on purpose for an event that came before what it is about was recorded."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from paas.billing.webhooks import SIGNATURE_HEADER, WebhookRejected, WebhookTooEarly, handle_event
from saas.transaction import uow

blueprint = Blueprint("webhooks", __name__)


@blueprint.post("/webhooks/payments")
def payment_events():
    try:
        outcome = handle_event(uow(), request.get_data(cache=False), request.headers.get(SIGNATURE_HEADER))
    except WebhookRejected:
        return jsonify({"error": {"code": "invalid_signature", "message": "The signature does not verify."}}), 400
    except WebhookTooEarly as exc:  # answered as an error, so the transaction is rolled back: nothing kept
        return jsonify({"error": {"code": exc.code, "message": exc.message}}), exc.status
    return jsonify({"received": True, "outcome": outcome})
