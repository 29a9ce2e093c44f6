"""The Stripe adapter against a small fake of Stripe's HTTP API on loopback (the official
library pointed at it): the requests it makes, and webhooks signed as Stripe signs them."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from iaas.payments import FAILED, IGNORED, REFUND_FAILED, SUCCEEDED, CheckoutLine, CheckoutRequest, InvalidSignature, PaymentProviderError
from iaas.payments.signature import signature_header
from iaas.payments.stripe_gateway import StripeGateway

SECRET = "whsec_stripe_test"


class FakeStripe(BaseHTTPRequestHandler):
    requests: list[dict] = []
    sessions: dict[str, str] = {}

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        self.requests.append({"path": self.path, "headers": dict(self.headers), "form": form})
        if self.path == "/v1/checkout/sessions":
            session_id = f"cs_test_{len(self.requests)}"
            self.sessions[session_id] = "open"
            return self._json(200, {"id": session_id, "object": "checkout.session", "status": "open",
                                    "url": f"https://checkout.stripe.com/c/pay/{session_id}"})
        if self.path.endswith("/expire"):
            session_id = self.path.split("/")[-2]
            if self.sessions.get(session_id) != "open":
                return self._json(400, {"error": {"type": "invalid_request_error", "message": "not open"}})
            self.sessions[session_id] = "expired"
            return self._json(200, {"id": session_id, "object": "checkout.session", "status": "expired"})
        if self.path == "/v1/refunds":
            return self._json(200, {"id": "re_test_1", "object": "refund", "status": "succeeded",
                                    "amount": int(form["amount"])})
        return self._json(404, {"error": {"type": "invalid_request_error", "message": "unknown"}})

    def do_GET(self):  # noqa: N802
        session_id = self.path.split("?")[0].split("/")[-1]
        self.requests.append({"path": self.path, "headers": dict(self.headers), "form": {}})
        body = {"id": session_id, "object": "checkout.session", "status": self.sessions[session_id]}
        if body["status"] == "complete" and "expand" in self.path:  # the payment with its charge, expanded
            body["payment_intent"] = {"id": "pi_test_1", "object": "payment_intent", "latest_charge": {
                "id": "ch_test_1", "object": "charge",
                "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}}}}
        return self._json(200, body)

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_fake")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def stripe_api():
    FakeStripe.requests, FakeStripe.sessions = [], {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeStripe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", FakeStripe.requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def gateway(stripe_api):
    return StripeGateway("sk_test_123", SECRET, api_base=stripe_api[0], max_network_retries=0)


def _request():
    return CheckoutRequest(currency="CNY", idempotency_key="due-abc-1", metadata={"order_key": "due-abc-1"},
                           lines=(CheckoutLine("续期保费 Renewal premium P0000000017 2026-10-20", 43916),
                                  CheckoutLine("续期保费 Renewal premium P0000000017 2026-11-20", 43916)),
                           success_url="https://portal.example/payments/return?session_id={CHECKOUT_SESSION_ID}",
                           cancel_url="https://portal.example/pay")


def test_a_checkout_session_is_asked_for_in_fen_with_the_idempotency_key(gateway, stripe_api):
    checkout = gateway.create_checkout(_request())
    assert checkout.url == f"https://checkout.stripe.com/c/pay/{checkout.session_id}"
    [sent] = stripe_api[1]
    assert sent["path"] == "/v1/checkout/sessions"
    assert sent["headers"]["Idempotency-Key"] == "due-abc-1"
    assert sent["headers"]["Authorization"] == "Bearer sk_test_123"
    form = sent["form"]
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][unit_amount]"] == "43916"
    assert form["line_items[1][price_data][currency]"] == "cny"
    assert form["line_items[0][quantity]"] == "1"
    assert form["metadata[order_key]"] == form["payment_intent_data[metadata][order_key]"] == "due-abc-1"
    assert form["success_url"].endswith("session_id={CHECKOUT_SESSION_ID}")


def test_refunds_and_expiry_go_to_stripe(gateway, stripe_api):
    result = gateway.refund("pi_123", 30000, "refund-Y1-1")
    assert (result.refund_id, result.status) == ("re_test_1", "succeeded")
    refund = stripe_api[1][-1]
    assert refund["headers"]["Idempotency-Key"] == "refund-Y1-1"
    assert refund["form"] == {"payment_intent": "pi_123", "amount": "30000"}
    session_id = gateway.create_checkout(_request()).session_id
    assert gateway.expire_checkout(session_id) is True
    assert gateway.expire_checkout(session_id) is True  # already expired: asked, and told so
    FakeStripe.sessions[session_id] = "complete"
    assert gateway.expire_checkout(session_id) is False


def test_provider_errors_become_one_error(stripe_api):
    broken = StripeGateway("sk_test_123", SECRET, api_base=stripe_api[0] + "/nowhere", max_network_retries=0)
    with pytest.raises(PaymentProviderError):
        broken.create_checkout(_request())


def test_webhooks_are_verified_with_the_endpoint_secret(gateway):
    body = json.dumps({"id": "evt_1", "object": "event", "type": "checkout.session.completed", "created": 1,
                       "data": {"object": {"id": "cs_1", "object": "checkout.session", "payment_status": "paid",
                                           "amount_total": 87832, "currency": "cny", "payment_intent": "pi_1",
                                           "metadata": {"order_key": "due-abc-1"}}}})
    event = gateway.parse_event(body.encode(), signature_header(body, SECRET))
    assert (event.outcome, event.amount_fen, event.currency, event.metadata["order_key"]) == (SUCCEEDED, 87832, "CNY", "due-abc-1")
    for header in (signature_header(body, "whsec_other"), signature_header(body, SECRET, int(time.time()) - 400), None, "junk"):
        with pytest.raises(InvalidSignature):
            gateway.parse_event(body.encode(), header)
    failed = json.dumps({"id": "evt_2", "type": "payment_intent.payment_failed", "created": 1, "data": {"object": {
        "id": "pi_1", "amount": 100, "currency": "cny", "metadata": {"order_key": "k"},
        "last_payment_error": {"code": "card_declined", "decline_code": "insufficient_funds"}}}})
    event = gateway.parse_event(failed.encode(), signature_header(failed, SECRET))
    assert (event.outcome, event.failure_reason, event.payment_id) == (FAILED, "insufficient_funds", "pi_1")


def test_a_refund_failed_event_is_read_from_the_refund_it_carries(gateway):
    """As Stripe sends it (API 2024-06-20): ``data.object`` is the Refund, not the charge."""
    body = json.dumps({
        "id": "evt_1QF2xYAbCdEfGhIj", "object": "event", "api_version": "2024-06-20", "created": 1732672800,
        "livemode": False, "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None}, "type": "refund.failed",
        "data": {"object": {
            "id": "re_3QF2wXAbCdEfGhIj0a1b2c3d", "object": "refund", "amount": 43916, "balance_transaction": "txn_1",
            "charge": "ch_3QF2wXAbCdEfGhIj0", "created": 1732672000, "currency": "cny",
            "destination_details": {"card": {"reference_status": "pending", "reference_type": "acquirer_reference_number",
                                             "type": "refund"}, "type": "card"},
            "failure_balance_transaction": "txn_2", "failure_reason": "expired_or_canceled_card", "metadata": {},
            "payment_intent": "pi_3QF2wXAbCdEfGhIj0", "reason": None, "receipt_number": None,
            "source_transfer_reversal": None, "status": "failed", "transfer_reversal": None}},
    })
    event = gateway.parse_event(body.encode(), signature_header(body, SECRET))
    assert (event.outcome, event.type, event.id) == (REFUND_FAILED, "refund.failed", "evt_1QF2xYAbCdEfGhIj")
    assert (event.refund_id, event.payment_id, event.amount_fen, event.currency, event.failure_reason) == (
        "re_3QF2wXAbCdEfGhIj0a1b2c3d", "pi_3QF2wXAbCdEfGhIj0", 43916, "CNY", "expired_or_canceled_card")
    assert event.session_id is None and event.refunded_fen is None
    broken = json.dumps({"id": "evt_3", "type": "refund.failed", "created": 1, "data": {"object": {"amount": 1}}})
    assert gateway.parse_event(broken.encode(), signature_header(broken, SECRET)).outcome == IGNORED  # no refund id


def test_the_paying_cards_last_four_come_from_the_sessions_expanded_charge(gateway, stripe_api):
    session_id = gateway.create_checkout(_request()).session_id
    assert gateway.card_last4(session_id) is None  # open: nothing paid yet
    FakeStripe.sessions[session_id] = "complete"
    assert gateway.card_last4(session_id) == "4242"
    assert "expand" in FakeStripe.requests[-1]["path"] and "latest_charge" in FakeStripe.requests[-1]["path"]


def test_a_checkout_closes_at_the_orders_expiry_on_stripes_side_too(gateway):
    from dataclasses import replace

    gateway.create_checkout(replace(_request(), expires_at=1_800_000_000))
    assert FakeStripe.requests[-1]["form"]["expires_at"] == "1800000000"
