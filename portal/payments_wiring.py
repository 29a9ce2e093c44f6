"""Picks the payment gateway: the sandbox (embedded default, test cards, webhooks delivered
to our own endpoint at the public URL), Stripe, or none (online payment switched off)."""
from __future__ import annotations

from iaas.payments import PaymentGateway
from iaas.payments.sandbox import HttpDelivery, SandboxGateway, SandboxStore
from paas.platform import Platform
from portal.config import Settings, local_secret

WEBHOOK_PATH = "/webhooks/payments"
SANDBOX_CHECKOUT_PATH = "/sandbox/checkout/{session_id}"


def build_payments(settings: Settings, *, deliver: bool = True) -> PaymentGateway | None:
    if settings.payments == "off":
        return None
    if settings.payments == "stripe":
        from iaas.payments.stripe_gateway import StripeGateway

        return StripeGateway(settings.stripe_secret_key, settings.stripe_webhook_secret,
                             api_base=settings.stripe_api_base or None)
    store = SandboxStore(settings.payments_sandbox_path)
    secret = local_secret(settings.data_dir / "keys" / "payments-sandbox-webhook-secret", prefix="whsec_")
    delivery = sandbox_delivery(settings, store, secret) if deliver else None
    return SandboxGateway(store, secret, settings.public_url + SANDBOX_CHECKOUT_PATH, delivery)


def start_in_web_process(platform: Platform) -> None:
    """The web process is the sandbox provider too: it starts sending webhooks when it starts
    (an earlier run's undelivered events included, to this run's address) and closes checkouts
    nobody paid in time. Stripe does both on its side."""
    if isinstance(platform.payments, SandboxGateway):
        platform.payments.start()


def sandbox_delivery(settings: Settings, store: SandboxStore, secret: str) -> HttpDelivery:
    return HttpDelivery(store, secret, settings.public_url + WEBHOOK_PATH)
