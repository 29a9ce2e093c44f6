"""Stripe, through the official library: Checkout Sessions (Stripe hosts the card form, so
our pages need no Stripe.js and keep their strict content security policy), refunds, and
webhooks verified with the endpoint's signing secret."""
from __future__ import annotations

import stripe

from iaas.payments.port import AccountCheck, AccountCheckResult, Checkout, CheckoutRequest, PaymentProviderError, ProviderEvent, RefundResult
from iaas.payments.signature import verified_payload
from iaas.payments.stripe_events import provider_event


class StripeGateway:
    name = "stripe"

    def __init__(self, secret_key: str, webhook_secret: str, *, api_base: str | None = None,
                 max_network_retries: int = 2) -> None:
        self._webhook_secret = webhook_secret
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=max_network_retries,
        )

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        metadata = dict(request.metadata)
        params = {
            "mode": "payment",
            "line_items": [
                {"quantity": 1, "price_data": {"currency": request.currency.lower(), "unit_amount": line.amount_fen,
                                               "product_data": {"name": line.description}}}
                for line in request.lines
            ],
            "metadata": metadata,
            # Copied onto the payment, so its events (a decline) lead back to the order too.
            "payment_intent_data": {"metadata": metadata},
            "client_reference_id": metadata.get("order_key"),
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        if request.expires_at is not None:  # closed unpaid by Stripe then, with checkout.session.expired
            params["expires_at"] = request.expires_at
        session = self._call(lambda: self._client.v1.checkout.sessions.create(
            params=params, options={"idempotency_key": request.idempotency_key}))
        return Checkout(session.id, session.url)

    def expire_checkout(self, session_id: str) -> bool:
        try:
            self._client.v1.checkout.sessions.expire(session_id)
            return True
        except stripe.InvalidRequestError:
            # Only an open session can be expired: find out whether it was paid or is gone.
            session = self._call(lambda: self._client.v1.checkout.sessions.retrieve(session_id))
            return session.status == "expired"
        except stripe.StripeError as exc:
            raise PaymentProviderError(str(exc)) from exc

    def card_last4(self, session_id: str) -> str | None:
        session = self._call(lambda: self._client.v1.checkout.sessions.retrieve(
            session_id, params={"expand": ["payment_intent.latest_charge"]}))
        if session.status != "complete":
            return None
        try:  # a card payment's charge says which card; other methods (Alipay, WeChat Pay) do not
            return session.payment_intent.latest_charge.payment_method_details.card.last4
        except (AttributeError, KeyError, TypeError):
            return None

    def parse_event(self, raw_body: bytes, signature_header: str | None) -> ProviderEvent:
        return provider_event(verified_payload(raw_body, signature_header, self._webhook_secret))

    def refund(self, payment_id: str, amount_fen: int, idempotency_key: str) -> RefundResult:
        refund = self._call(lambda: self._client.v1.refunds.create(
            params={"payment_intent": payment_id, "amount": amount_fen}, options={"idempotency_key": idempotency_key}))
        return RefundResult(refund.id, "succeeded" if refund.status == "succeeded" else
                            "failed" if refund.status in ("failed", "canceled") else "pending")

    def verify_bank_account(self, check: AccountCheck) -> AccountCheckResult:
        # Stripe does not check Chinese bank cards against an ID and a mobile: a provider
        # that does (a UnionPay four-element service) is the cloud adapter still to come.
        raise PaymentProviderError("bank-card four-element check is not offered by Stripe")

    @staticmethod
    def _call(request):
        try:
            return request()
        except stripe.StripeError as exc:
            raise PaymentProviderError(f"{type(exc).__name__}: {exc.user_message or exc}") from exc
