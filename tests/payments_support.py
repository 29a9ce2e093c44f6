"""Payment test helpers: a sandbox gateway whose events are not sent anywhere but kept for
the test to deliver itself (in order, shuffled, replayed), signed as the sandbox signs."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from iaas.payments.sandbox import SandboxGateway, SandboxStore
from iaas.payments.signature import signature_header
from paas.billing.payments import ReturnUrls
from paas.billing.webhooks import handle_event

WEBHOOK_SECRET = "whsec_test_secret"
URLS = ReturnUrls("http://127.0.0.1:8000/payments/return?session_id={CHECKOUT_SESSION_ID}", "http://127.0.0.1:8000/pay")


def sandbox_gateway(folder: Path) -> SandboxGateway:
    return SandboxGateway(SandboxStore(folder / "payments-sandbox.sqlite3"), WEBHOOK_SECRET,
                          "http://127.0.0.1:8000/sandbox/checkout/{session_id}", delivery=None)


def signed(payload: dict | str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[bytes, str]:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return body.encode("utf-8"), signature_header(body, secret, timestamp)


def take_events(gateway: SandboxGateway) -> list[dict]:
    """The events the sandbox has emitted and nobody delivered yet; marks them delivered."""
    events = gateway.store.undelivered()
    gateway.store.execute("UPDATE events SET delivered_at = 1 WHERE delivered_at IS NULL")
    return events


def deliver(platform, payload: dict) -> str:
    """One webhook delivery in its own transaction, as a request would run it."""
    body, header = signed(payload)
    with platform.unit_of_work() as uow:
        outcome = handle_event(uow, body, header)
        uow.commit()
    return outcome


def deliver_all(platform, gateway: SandboxGateway) -> list[str]:
    return [deliver(platform, event) for event in take_events(gateway)]


def session_of(checkout_url: str) -> str:
    return checkout_url.rsplit("/", 1)[-1]


def due(policy, on: date) -> tuple[str, date]:
    return policy.policy_number, on
