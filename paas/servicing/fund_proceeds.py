"""What a servicing request wants done once its fund orders are executed: a partial
withdrawal is paid out then, with what its sale really raised less its charge (never more
than was asked for), into the bank account chosen with the request."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.customers.models import Customer
from paas.notices.events import was_raised
from paas.servicing.models import ServiceRequest
from paas.servicing.payout import record_payout_to

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

PAID_AFTER_SALE = "after_sale"  # the outcome's "paid" when the payout waits for the sale


def settle_request(uow: "UnitOfWork", policy_id: int, reference: str, proceeds: Decimal, on: date) -> None:
    request = uow.session.scalar(select(ServiceRequest).where(ServiceRequest.reference == reference))
    outcome = json.loads(request.outcome) if request is not None and request.outcome else {}
    if outcome.get("paid") != PAID_AFTER_SALE or _paid_already(uow, policy_id, reference):
        return
    amount = min(Decimal(outcome["amount"]), max(Decimal("0.00"), proceeds - Decimal(outcome["charge"])))
    customer = uow.session.get(Customer, request.customer_id)
    record_payout_to(uow, policy_id, customer, amount, int(outcome["bank_account"]), reference, on)


def _paid_already(uow: "UnitOfWork", policy_id: int, reference: str) -> bool:
    return was_raised(uow, policy_id, "payout", reference)
