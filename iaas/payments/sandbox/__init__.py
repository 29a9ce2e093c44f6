"""The embedded payment provider: Stripe's test mode in miniature, offline. Checkout pages,
test cards, Stripe-shaped events signed like Stripe's and delivered to our own webhook
endpoint in the background, refunds. Its state is its own SQLite file, not our database."""
from __future__ import annotations

from iaas.payments.sandbox.cards import DECLINED_CARD, REFUND_FAILS_CARD, SUCCEEDING_CARD
from iaas.payments.sandbox.delivery import HttpDelivery
from iaas.payments.sandbox.gateway import CardResult, SandboxGateway, SandboxSession
from iaas.payments.sandbox.store import SandboxStore

__all__ = ["DECLINED_CARD", "REFUND_FAILS_CARD", "SUCCEEDING_CARD", "CardResult", "HttpDelivery", "SandboxGateway", "SandboxSession",
           "SandboxStore"]
