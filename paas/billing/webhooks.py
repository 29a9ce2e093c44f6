"""The provider's webhook: the only way money comes in. Verified on the raw body first;
then the event id is recorded in the same transaction as its effect, so a replay (or the
same event delivered twice at once) finds it and changes nothing. An event that comes before
what it is about is recorded (a refund's failure before the refund's provider id is stored)
is not acknowledged: 503, nothing kept, and the provider delivers it again."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from iaas.payments import EXPIRED, FAILED, IGNORED, REFUND_FAILED, REFUNDED, SUCCEEDED, InvalidSignature, ProviderEvent
from iaas.payments.signature import HEADER as SIGNATURE_HEADER
from paas.billing import refunds, settlement
from paas.billing.models import PaymentOrder, WebhookEvent
from paas.billing.orders import locked_order
from paas.billing.payments import gateway_of
from paas.errors import N_, DomainError

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
__all__ = ["SIGNATURE_HEADER", "WebhookRejected", "WebhookTooEarly", "handle_event"]
TOO_EARLY = N_("This event is about a refund we have not finished recording. Please send it again later.")


class WebhookRejected(DomainError):
    """Not from the provider (bad, missing or stale signature): answered 400, nothing kept."""

    status = 400
    code = "invalid_signature"


class WebhookTooEarly(DomainError):
    """About something not recorded yet: answered 503, nothing kept (not even the event id),
    so the provider retries it, by which time it is."""

    status = 503
    code = "retry_later"


def handle_event(uow: "UnitOfWork", raw_body: bytes, signature: str | None) -> str:
    """Returns what became of the event: duplicate, ignored, or the settlement's outcome."""
    gateway = gateway_of(uow)
    try:
        event = gateway.parse_event(raw_body, signature)
    except InvalidSignature as exc:
        log.warning("payment webhook refused: %s", exc)
        raise WebhookRejected("invalid signature") from None
    record = WebhookEvent(event_id=event.id, provider=gateway.name, type=event.type[:64], received_at=uow.clock.now())
    try:
        with uow.savepoint():
            uow.session.add(record)
            uow.session.flush()  # a concurrent twin waits here until the first one commits
    except IntegrityError:
        return "duplicate"
    if event.outcome == IGNORED:
        return "ignored"
    if event.outcome == REFUND_FAILED:
        return _refund_failed(uow, event, record)
    order = _order_for(uow, event)
    if order is None:
        log.warning("payment event %s (%s) matches no order", event.id, event.type)
        return "ignored"
    record.order_reference = order.reference
    if event.outcome == SUCCEEDED:
        return settlement.settle_success(uow, order, event)
    if event.outcome == FAILED:
        return settlement.settle_failure(uow, order, event)
    if event.outcome == EXPIRED:
        return settlement.settle_expiry(uow, order)
    if event.outcome == REFUNDED:
        return settlement.confirm_refunds(uow, order, event)
    return "ignored"  # pragma: no cover - every outcome is handled above


def _refund_failed(uow: "UnitOfWork", event: ProviderEvent, record: WebhookEvent) -> str:
    found = refunds.refund_known_as(uow, event.refund_id)
    if found is None:
        if refunds.refund_being_sent(uow, event.payment_id):
            # Ours, most likely, but its sending has not committed the provider's id yet.
            log.info("refund.failed %s for %s before the refund is recorded; asking for it again", event.id, event.refund_id)
            raise WebhookTooEarly(TOO_EARLY)
        log.warning("payment event %s (%s) matches no refund of ours", event.id, event.type)
        return "ignored"
    refund, order = found
    record.order_reference = order.reference
    return refunds.fail_refund(uow, order, refund, event)


def _order_for(uow: "UnitOfWork", event: ProviderEvent) -> PaymentOrder | None:
    keys = []
    if event.metadata.get("order_key"):
        keys.append(PaymentOrder.idempotency_key == event.metadata["order_key"])
    if event.session_id:
        keys.append(PaymentOrder.provider_session_id == event.session_id)
    if event.payment_id:
        keys.append(PaymentOrder.provider_payment_id == event.payment_id)
    if not keys:
        return None
    return locked_order(uow, or_(*keys))
