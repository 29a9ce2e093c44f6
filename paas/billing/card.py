"""The card that paid: its last four digits, as the provider shows them (the only part of a
card number we ever hold), for the receipt."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from iaas.payments import PaymentProviderError
from paas.billing.models import PaymentOrder

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def card_of(uow: "UnitOfWork", order: PaymentOrder) -> str | None:
    """From the provider, or None: unpaid, or unreachable (the receipt then goes without it)."""
    gateway = uow.platform.payments
    if gateway is None or order.provider_session_id is None:
        return None
    try:
        return gateway.card_last4(order.provider_session_id)
    except PaymentProviderError as exc:
        log.info("card of payment %s not known yet: %s", order.reference, exc)
        return None
