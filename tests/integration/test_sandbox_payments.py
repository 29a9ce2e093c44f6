"""The sandbox provider on its own: Stripe-like idempotency, test cards, and webhooks posted
in the background to a loopback endpoint, signed, retried until it answers 2xx."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from iaas.payments import SUCCEEDED, CheckoutLine, CheckoutRequest, PaymentProviderError
from iaas.payments.sandbox import DECLINED_CARD, SUCCEEDING_CARD, HttpDelivery
from tests.payments_support import WEBHOOK_SECRET, sandbox_gateway, session_of


def _request(key="due-1", amount=30000):
    return CheckoutRequest(currency="CNY", idempotency_key=key, lines=(CheckoutLine("premium", amount),),
                           metadata={"order_key": key}, success_url="http://x/return?session_id={CHECKOUT_SESSION_ID}",
                           cancel_url="http://x/pay")


def test_checkouts_are_idempotent_like_stripes(tmp_path):
    gateway = sandbox_gateway(tmp_path)
    first = gateway.create_checkout(_request())
    assert gateway.create_checkout(_request()) == first
    with pytest.raises(PaymentProviderError):
        gateway.create_checkout(_request(amount=30001))
    session = gateway.session(session_of(first.url))
    assert session.amount_fen == 30000 and session.success_url == f"http://x/return?session_id={session.id}"


def test_cards_decide_and_nothing_but_the_last_digits_is_kept(tmp_path):
    gateway = sandbox_gateway(tmp_path)
    session_id = session_of(gateway.create_checkout(_request()).url)
    assert gateway.pay(session_id, "4111 1111 1111 1111").decline_code is None  # not a test card: refused, no event
    assert gateway.pay(session_id, DECLINED_CARD).decline_code == "generic_decline"
    assert gateway.pay(session_id, "4242 4242 4242 4242").paid
    with pytest.raises(PaymentProviderError):
        gateway.pay(session_id, SUCCEEDING_CARD)  # closed once paid
    assert [e["type"] for e in gateway.store.undelivered()] == ["payment_intent.payment_failed", "checkout.session.completed"]
    stored = (tmp_path / "payments-sandbox.sqlite3").read_bytes()
    assert b"4242424242424242" not in stored and b"4000000000000002" not in stored
    assert gateway.store.read("SELECT card_last4 FROM sessions")[0]["card_last4"] == "4242"


class Endpoint(BaseHTTPRequestHandler):
    """Our webhook endpoint's stand-in: down for the first request, then verifying each."""

    gateway = None
    received: list = []
    fail_first = True

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Endpoint.fail_first:
            Endpoint.fail_first = False
            self.send_response(503)
        else:
            Endpoint.received.append(self.gateway.parse_event(body, self.headers["Stripe-Signature"]))
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint(tmp_path):
    Endpoint.gateway, Endpoint.received, Endpoint.fail_first = sandbox_gateway(tmp_path), [], True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhooks/payments"
    server.shutdown()
    server.server_close()


def test_events_are_posted_in_the_background_signed_and_retried(tmp_path, endpoint, monkeypatch):
    from iaas.payments.sandbox import delivery as delivery_module

    monkeypatch.setattr(delivery_module, "FIRST_PAUSE_SECONDS", 0.2)
    gateway = sandbox_gateway(tmp_path)
    delivery = HttpDelivery(gateway.store, WEBHOOK_SECRET, endpoint, timeout=5)
    gateway._delivery = delivery
    session_id = session_of(gateway.create_checkout(_request()).url)
    gateway.pay(session_id, SUCCEEDING_CARD)  # returns at once; the event follows
    deadline = time.monotonic() + 10
    while not Endpoint.received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [e.outcome for e in Endpoint.received] == [SUCCEEDED]
    assert gateway.store.undelivered() == []
    assert gateway.store.read("SELECT attempts FROM events")[0]["attempts"] == 2


def test_redelivery_sends_everything_still_waiting(tmp_path, endpoint):
    gateway = sandbox_gateway(tmp_path)
    gateway.pay(session_of(gateway.create_checkout(_request()).url), SUCCEEDING_CARD)
    delivery = HttpDelivery(gateway.store, WEBHOOK_SECRET, endpoint)
    assert delivery.deliver_due(everything=True) == 0  # the endpoint is down for the first one
    assert delivery.deliver_due() == 0  # not due again yet
    assert delivery.deliver_due(everything=True) == 1
    assert gateway.store.undelivered() == []
