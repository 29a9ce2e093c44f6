"""``portal payments ...`` on a fresh data folder with the sandbox provider."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from iaas.payments import CheckoutLine, CheckoutRequest
from iaas.payments.sandbox import SUCCEEDING_CARD
from portal.cli import main
from portal.config import ConfigurationError, Settings
from portal.payments_wiring import build_payments


class Webhooks(BaseHTTPRequestHandler):
    gateway = None
    outcomes: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Webhooks.outcomes.append(self.gateway.parse_event(body, self.headers["Stripe-Signature"]).outcome)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhooks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_expire_refunds_and_redeliver(tmp_path, monkeypatch, endpoint):
    env = {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_PUBLIC_URL": endpoint}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    run = CliRunner()
    assert run.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert "Expired 0 payment(s)." in run.invoke(main, ["payments", "expire"]).output
    assert "Sent 0 refund(s)." in run.invoke(main, ["payments", "refunds"]).output

    gateway = build_payments(Settings.from_env(env), deliver=False)  # events wait in the sandbox's store
    Webhooks.gateway, Webhooks.outcomes = gateway, []
    checkout = gateway.create_checkout(CheckoutRequest("CNY", "k-1", (CheckoutLine("premium", 100),), {"order_key": "k-1"},
                                                       "http://x/ok", "http://x/pay"))
    gateway.pay(checkout.session_id, SUCCEEDING_CARD)
    result = run.invoke(main, ["payments", "redeliver"])
    assert result.exit_code == 0 and "Delivered 1 event(s); 0 still undelivered." in result.output
    assert Webhooks.outcomes == ["succeeded"]  # signed with the secret kept in the data folder


def test_payment_settings(tmp_path):
    base = {"PORTAL_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).payments == "sandbox"
    assert Settings.from_env({**base, "PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k" * 40}).payments == "off"
    with pytest.raises(ConfigurationError, match="not allowed in production"):
        Settings.from_env({**base, "PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k" * 40, "PORTAL_PAYMENTS": "sandbox"})
    with pytest.raises(ConfigurationError, match="PORTAL_STRIPE_WEBHOOK_SECRET"):
        Settings.from_env({**base, "PORTAL_PAYMENTS": "stripe", "PORTAL_STRIPE_SECRET_KEY": "sk_test_1"})
    with pytest.raises(ConfigurationError, match="PORTAL_PAYMENTS"):
        Settings.from_env({**base, "PORTAL_PAYMENTS": "paypal"})
    stripe = Settings.from_env({**base, "PORTAL_PAYMENTS": "stripe", "PORTAL_STRIPE_SECRET_KEY": "sk_test_1",
                                "PORTAL_STRIPE_WEBHOOK_SECRET": "whsec_1", "PORTAL_PUBLIC_URL": "https://pay.example/"})
    assert build_payments(stripe).name == "stripe" and stripe.public_url == "https://pay.example"
    assert build_payments(Settings.from_env({**base, "PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k" * 40})) is None
