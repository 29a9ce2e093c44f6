"""The sandbox gateway: Checkout Sessions in its own store, paid on its hosted page with a
test card; each outcome becomes a signed Stripe-shaped event, delivered asynchronously."""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any, Protocol

from iaas.payments.port import AccountCheck, AccountCheckResult, Checkout, CheckoutRequest, PaymentProviderError, ProviderEvent, RefundResult
from iaas.payments.sandbox import bank_cards, cards, events
from iaas.payments.sandbox.store import SandboxStore
from iaas.payments.signature import verified_payload
from iaas.payments.stripe_events import provider_event


DEFAULT_LIFETIME_SECONDS = 24 * 3600  # Stripe's, for a checkout created without expires_at


class EventDelivery(Protocol):
    housekeeping: Callable[[], object] | None

    def start(self) -> None:
        """Begin sending in this process (what is already waiting too)."""

    def notify(self) -> None:
        """New events are waiting in the store."""


@dataclass(frozen=True)
class SandboxSession:
    id: str
    status: str  # open / complete / expired
    amount_fen: int
    currency: str
    lines: list[tuple[str, int]]
    success_url: str
    cancel_url: str


@dataclass(frozen=True)
class CardResult:
    paid: bool
    decline_code: str | None  # None when paid, or when the card is not a test card
    redirect_url: str | None  # where the customer goes next, when paid


class SandboxGateway:
    name = "sandbox"

    def __init__(self, store: SandboxStore, webhook_secret: str, checkout_url: str,
                 delivery: EventDelivery | None = None) -> None:
        self.store = store
        self.webhook_secret = webhook_secret
        self._checkout_url = checkout_url  # with {session_id}
        self._delivery = delivery
        if delivery is not None:
            delivery.housekeeping = self.expire_overdue

    def start(self) -> None:
        """The provider's background work in this process: deliver what waits, close what expired."""
        if self._delivery is not None:
            self._delivery.start()

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        wanted = json.dumps(_request_dict(request), sort_keys=True)
        with self.store.transaction() as conn:
            row = conn.execute("SELECT id, request FROM sessions WHERE idempotency_key = ?", (request.idempotency_key,)).fetchone()
            if row is None:
                session_id = f"cs_test_{secrets.token_urlsafe(24)}"
                conn.execute("INSERT INTO sessions (id, idempotency_key, request, payment_intent, status, created) "
                             "VALUES (?, ?, ?, ?, 'open', ?)",
                             (session_id, request.idempotency_key, wanted, f"pi_test_{secrets.token_hex(12)}", int(time.time())))
            elif row["request"] != wanted:  # as Stripe answers: an idempotency error
                raise PaymentProviderError("Keys for idempotent requests can only be used with the same parameters")
            else:
                session_id = row["id"]
        return Checkout(session_id, self._checkout_url.format(session_id=session_id))

    def session(self, session_id: str) -> SandboxSession | None:
        row = self._session(session_id)
        if row is None:
            return None
        request = row["request"]
        success = request["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
        return SandboxSession(session_id, row["status"], row["amount"], request["currency"],
                              [(line["description"], line["amount_fen"]) for line in request["lines"]],
                              success, request["cancel_url"])

    def pay(self, session_id: str, card_number: str) -> CardResult:
        """The customer submits the hosted card form."""
        if not cards.is_test_card(card_number):
            return CardResult(False, None, None)
        code = cards.decline_code(card_number)
        with self.store.transaction() as conn:
            row = self._session(session_id, conn)
            if row is None or row["status"] != "open":
                raise PaymentProviderError("this checkout is no longer open")
            if code is None:
                conn.execute("UPDATE sessions SET status = 'complete', card_last4 = ? WHERE id = ?",
                             (cards.normalise(card_number)[-4:], session_id))
                body = events.checkout_session(row, status="complete", payment_status="paid")
                self.store.add_event(conn, events.event("checkout.session.completed", body))
            else:  # as in Stripe Checkout, the session stays open for another card
                self.store.add_event(conn, events.event("payment_intent.payment_failed", events.payment_intent_failed(row, code)))
        self._notify()
        return CardResult(code is None, code, self.session(session_id).success_url if code is None else None)

    def expire_checkout(self, session_id: str) -> bool:
        with self.store.transaction() as conn:
            row = self._session(session_id, conn)
            if row is None:
                raise PaymentProviderError(f"no such checkout session: {session_id}")
            if row["status"] == "open":
                conn.execute("UPDATE sessions SET status = 'expired' WHERE id = ?", (session_id,))
                body = events.checkout_session(row, status="expired", payment_status="unpaid")
                self.store.add_event(conn, events.event("checkout.session.expired", body))
        self._notify()
        return row["status"] != "complete"

    def expire_overdue(self, now: float | None = None) -> int:
        """As Stripe does: close every open checkout past its ``expires_at`` (by default 24 hours
        after it was created), with ``checkout.session.expired``; returns how many."""
        now = time.time() if now is None else now
        overdue = [row["id"] for row in self.store.read("SELECT id, request, created FROM sessions WHERE status = 'open'")
                   if (json.loads(row["request"]).get("expires_at") or row["created"] + DEFAULT_LIFETIME_SECONDS) < now]
        for session_id in overdue:
            self.expire_checkout(session_id)
        return len(overdue)

    def card_last4(self, session_id: str) -> str | None:
        """The last four digits of the card that paid the checkout; None while it is unpaid."""
        row = self._session(session_id)
        return row["card_last4"] if row is not None and row["status"] == "complete" else None

    def parse_event(self, raw_body: bytes, signature_header: str | None) -> ProviderEvent:
        return provider_event(verified_payload(raw_body, signature_header, self.webhook_secret))

    def verify_bank_account(self, check: AccountCheck) -> AccountCheckResult:
        return bank_cards.check_account(check)

    def refund(self, payment_id: str, amount_fen: int, idempotency_key: str) -> RefundResult:
        """Refunds of a payment made with ``REFUND_FAILS_CARD`` are accepted as pending, never
        counted as refunded, and fail asynchronously: a ``refund.failed`` event follows. A retry
        with the same key answers as the first request did, with the same refund."""
        with self.store.transaction() as conn:
            done = conn.execute("SELECT id FROM refunds WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if done:
                return RefundResult(done["id"], "succeeded")
            failing = conn.execute("SELECT id FROM failed_refunds WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if failing:
                return RefundResult(failing["id"], "pending")
            row = self._session_by_payment(payment_id, conn)
            if row is None or row["status"] != "complete":
                raise PaymentProviderError(f"no completed payment {payment_id}")
            refunded = conn.execute("SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE payment_intent = ?",
                                    (payment_id,)).fetchone()[0]
            if amount_fen <= 0 or refunded + amount_fen > row["amount"]:
                raise PaymentProviderError("Refund amount is greater than the unrefunded amount on the charge")
            refund_id, created = f"re_test_{secrets.token_hex(12)}", int(time.time())
            if cards.refund_fails(row["card_last4"]):
                reason = cards.REFUND_FAILURE_REASON
                conn.execute("INSERT INTO failed_refunds (id, idempotency_key, payment_intent, amount, failure_reason, created) "
                             "VALUES (?, ?, ?, ?, ?, ?)", (refund_id, idempotency_key, payment_id, amount_fen, reason, created))
                body = events.refund(row, refund_id, amount_fen, status="failed", created=created, failure_reason=reason)
                self.store.add_event(conn, events.event("refund.failed", body))
                status = "pending"
            else:
                conn.execute("INSERT INTO refunds (id, idempotency_key, payment_intent, amount, created) VALUES (?, ?, ?, ?, ?)",
                             (refund_id, idempotency_key, payment_id, amount_fen, created))
                self.store.add_event(conn, events.event("charge.refunded", events.charge_refunded(row, refunded + amount_fen)))
                status = "succeeded"
        self._notify()
        return RefundResult(refund_id, status)

    def _notify(self) -> None:
        if self._delivery is not None:
            self._delivery.notify()

    def _session(self, session_id: str, conn=None) -> dict[str, Any] | None:
        return self._one("SELECT * FROM sessions WHERE id = ?", session_id, conn)

    def _session_by_payment(self, payment_id: str, conn) -> dict[str, Any] | None:
        return self._one("SELECT * FROM sessions WHERE payment_intent = ?", payment_id, conn)

    def _one(self, sql: str, key: str, conn) -> dict[str, Any] | None:
        rows = conn.execute(sql, (key,)).fetchall() if conn is not None else self.store.read(sql, key)
        if not rows:
            return None
        row = dict(rows[0])
        row["request"] = json.loads(row["request"])
        row["amount"] = sum(line["amount_fen"] for line in row["request"]["lines"])
        return row


def _request_dict(request: CheckoutRequest) -> dict[str, Any]:
    return {"currency": request.currency, "metadata": dict(request.metadata), "success_url": request.success_url,
            "cancel_url": request.cancel_url, "expires_at": request.expires_at,
            "lines": [{"description": line.description, "amount_fen": line.amount_fen} for line in request.lines]}
