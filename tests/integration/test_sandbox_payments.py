"""The sandbox provider on its own: Stripe-like idempotency, test cards, and webhooks posted
in the background to a loopback endpoint, signed, retried until it answers 2xx."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from iaas.payments import REFUND_FAILED, SUCCEEDED, CheckoutLine, CheckoutRequest, PaymentProviderError
from iaas.payments.sandbox import DECLINED_CARD, REFUND_FAILS_CARD, SUCCEEDING_CARD, HttpDelivery, SandboxGateway
from tests.payments_support import WEBHOOK_SECRET, sandbox_gateway, session_of, signed


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


def test_a_refund_of_the_5126_card_is_accepted_then_fails_asynchronously(tmp_path):
    gateway = sandbox_gateway(tmp_path)
    session_id = session_of(gateway.create_checkout(_request()).url)
    assert gateway.pay(session_id, "4000 0000 0000 5126").paid  # the charge itself succeeds
    [paid] = gateway.store.undelivered()
    payment_id = paid["data"]["object"]["payment_intent"]
    first = gateway.refund(payment_id, 30000, "refund-1")
    assert first.status == "pending" and first.refund_id.startswith("re_test_")
    assert gateway.refund(payment_id, 30000, "refund-1") == first  # a retry: the same refund, once
    assert gateway.store.read("SELECT COUNT(*) FROM refunds")[0][0] == 0
    assert [dict(r) for r in gateway.store.read("SELECT id, payment_intent, amount FROM failed_refunds")] == [
        {"id": first.refund_id, "payment_intent": payment_id, "amount": 30000}]
    events = gateway.store.undelivered()
    assert [e["type"] for e in events] == ["checkout.session.completed", "refund.failed"]
    refund = events[1]["data"]["object"]
    assert (refund["object"], refund["status"], refund["failure_reason"], refund["currency"]) == (
        "refund", "failed", "expired_or_canceled_card", "cny")
    event = gateway.parse_event(*signed(events[1]))
    assert (event.outcome, event.refund_id, event.payment_id, event.amount_fen) == (REFUND_FAILED, first.refund_id,
                                                                                     payment_id, 30000)
    assert gateway.refund(payment_id, 30000, "refund-2").status == "pending"  # nothing was refunded: all of it again


def test_refunds_of_other_cards_succeed_as_before(tmp_path):
    gateway = sandbox_gateway(tmp_path)
    session_id = session_of(gateway.create_checkout(_request()).url)
    gateway.pay(session_id, SUCCEEDING_CARD)
    payment_id = gateway.store.undelivered()[0]["data"]["object"]["payment_intent"]
    assert gateway.refund(payment_id, 30000, "refund-1").status == "succeeded"
    assert [e["type"] for e in gateway.store.undelivered()] == ["checkout.session.completed", "charge.refunded"]
    with pytest.raises(PaymentProviderError):
        gateway.refund(payment_id, 1, "refund-2")  # all of it is refunded already
    assert REFUND_FAILS_CARD.endswith("5126")


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
    # The endpoint has the event before the delivery thread marks it delivered: wait for both.
    while (not Endpoint.received or gateway.store.undelivered()) and time.monotonic() < deadline:
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


def test_a_starting_sender_delivers_what_an_earlier_run_left_and_closes_expired_checkouts(tmp_path, endpoint):
    earlier = sandbox_gateway(tmp_path)  # an earlier run: its webhooks went nowhere, the pauses grew long
    paid = session_of(earlier.create_checkout(_request("due-paid")).url)
    earlier.pay(paid, SUCCEEDING_CARD)
    abandoned = session_of(earlier.create_checkout(_request("due-abandoned")).url)
    earlier.store.execute("UPDATE events SET attempts = 7, next_attempt_at = ?", time.time() + 300)
    earlier.store.execute("UPDATE sessions SET created = created - 86401 WHERE id = ?", abandoned)  # Stripe's 24 h
    Endpoint.fail_first = False

    delivery = HttpDelivery(earlier.store, WEBHOOK_SECRET, endpoint, timeout=5)  # this run, its own address
    gateway = SandboxGateway(earlier.store, WEBHOOK_SECRET, "http://x/{session_id}", delivery)
    gateway.start()  # what the web process does when it starts: no new event, no command
    deadline = time.monotonic() + 10
    # The endpoint has the events before the delivery thread marks them delivered: wait for both.
    while (len(Endpoint.received) < 2 or gateway.store.undelivered()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(e.type for e in Endpoint.received) == ["checkout.session.completed", "checkout.session.expired"]
    assert gateway.session(abandoned).status == "expired" and gateway.session(paid).status == "complete"
    assert gateway.store.undelivered() == []
