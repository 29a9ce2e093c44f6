"""Closing payments left unfinished: after an hour the provider's checkout is expired and
the dues are released (a nightly or hourly job, or ``portal payments expire``); or at once,
when the customer cancels. If the provider says it was paid after all, its event settles it."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from iaas.payments import PaymentProviderError
from paas.audit.chain import SYSTEM
from paas.billing.models import PaymentOrder
from paas.billing.orders import PENDING, customer_order, locked_order
from paas.billing.payments import PENDING_LIFETIME, PROVIDER_DOWN, gateway_of
from paas.billing.settlement import settle_expiry
from paas.errors import N_, InvalidInput, NotFound, ServiceUnavailable
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.platform import Platform
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
__all__ = ["PENDING_LIFETIME", "cancel_payment", "expire_stale_orders"]


def expire_stale_orders(platform: "Platform", *, older_than: timedelta = PENDING_LIFETIME, limit: int = 100) -> int:
    expired = 0
    if platform.payments is None:
        return 0
    with platform.unit_of_work() as uow:
        cutoff = uow.clock.now() - older_than
        query = (select(PaymentOrder).where(PaymentOrder.status == PENDING, PaymentOrder.created_at < cutoff)
                 .order_by(PaymentOrder.id).limit(limit))
        if uow.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for order in uow.session.scalars(query).all():
            try:
                closed = order.provider_session_id is None or platform.payments.expire_checkout(order.provider_session_id)
            except PaymentProviderError as exc:
                log.warning("payment %s not expired: %s", order.reference, exc)
                continue
            if closed and settle_expiry(uow, order, actor=SYSTEM) != "ignored":
                expired += 1
        uow.commit()
    return expired


def cancel_payment(uow: "UnitOfWork", who: Principal, reference: str) -> None:
    found = customer_order(uow, who.customer_id, reference)
    order = locked_order(uow, PaymentOrder.id == found.id) if found else None
    if order is None:
        raise NotFound(N_("We could not find that payment."))
    if order.status != PENDING:
        raise InvalidInput(N_("This payment is no longer waiting, so there is nothing to cancel."))
    if order.card_last4 is not None:  # the card was accepted (the customer came back from the checkout)
        raise InvalidInput(N_("The bank has already taken this payment; its confirmation is on the way."))
    try:
        closed = gateway_of(uow).expire_checkout(order.provider_session_id)
    except PaymentProviderError as exc:
        raise ServiceUnavailable(PROVIDER_DOWN) from exc
    if not closed:
        raise InvalidInput(N_("The bank has already taken this payment; its confirmation is on the way."))
    settle_expiry(uow, order, reason="cancelled", actor=who.actor)
