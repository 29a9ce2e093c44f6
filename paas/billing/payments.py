"""Paying premiums online (续期缴费, 18501): an order for the chosen dues, then the provider's
hosted checkout. The order's idempotency key follows from the dues themselves, so a double
click, a second tab or a retry finds the same order, and the provider is asked for one
charge under that key. The premium is credited only when the provider's signed webhook says
the money was taken (``paas.billing.webhooks``)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from iaas.payments import CheckoutLine, CheckoutRequest, PaymentGateway, PaymentProviderError
from paas.audit import chain
from paas.billing.dues import Due
from paas.billing.models import PaymentOrder, PaymentOrderItem
from paas.billing.orders import PENDING, new_reference
from paas.billing.selection import chosen_dues
from paas.errors import N_, InvalidInput, ServiceUnavailable
from paas.i18n import translate
from paas.money import CURRENCY, to_minor_units
from paas.security.preferences import customer_locale
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

CHECKOUT_LINE = N_("Renewal premium of policy %(policy)s due %(date)s")
# How long a checkout stays open unpaid; then it closes and its premiums are free again.
PENDING_LIFETIME = timedelta(hours=1)
PROVIDER_DOWN = N_("The payment service is not available right now. Nothing was charged; please try again in a few minutes.")


@dataclass(frozen=True)
class ReturnUrls:
    success: str  # may contain {CHECKOUT_SESSION_ID}
    cancel: str


@dataclass(frozen=True)
class StartedPayment:
    reference: str
    checkout_url: str
    amount: Decimal
    reused: bool  # an order already paying exactly these dues


def gateway_of(uow: "UnitOfWork") -> PaymentGateway:
    if uow.platform.payments is None:
        raise ServiceUnavailable(PROVIDER_DOWN)
    return uow.platform.payments


def start_payment(uow: "UnitOfWork", who: Principal, selections: Iterable[tuple[str, date]], urls: ReturnUrls) -> StartedPayment:
    gateway = gateway_of(uow)
    dues = chosen_dues(uow, who.customer_id, selections)
    existing = _order_paying(uow, dues)
    if existing is not None:
        return existing
    key = _idempotency_key(uow, who.customer_id, dues)
    for _attempt in range(3):
        try:
            with uow.savepoint():
                order = _new_order(uow, who.customer_id, dues, key, gateway.name)
            break
        except IntegrityError:
            # Another request got there first (same key, or one of the dues is in its order):
            # once it commits, its order is the answer. Else the random reference collided.
            existing = _order_paying(uow, dues) or _order_with_key(uow, key, dues)
            if existing is not None:
                return existing
    else:  # pragma: no cover - three reference collisions in a row
        raise ServiceUnavailable(PROVIDER_DOWN)
    try:
        checkout = gateway.create_checkout(_checkout_request(order, dues, urls, customer_locale(uow, who.customer_id)))
    except PaymentProviderError as exc:
        raise ServiceUnavailable(PROVIDER_DOWN) from exc
    order.provider_session_id, order.checkout_url = checkout.session_id, checkout.url
    chain.record(uow, who.actor, "payment.started", subject=f"payment:{order.reference}",
                 detail={"amount": str(order.amount), "dues": [f"{d.policy_number}:{d.due_date}" for d in dues]})
    return StartedPayment(order.reference, checkout.url, order.amount, reused=False)


def _idempotency_key(uow: "UnitOfWork", customer_id: int, dues: list[Due]) -> str:
    """The dues, plus how many orders for exactly them came before (a declined or expired
    attempt must not stop a new one): equal for every concurrent first attempt."""
    digest = hashlib.sha256(";".join(f"{d.policy_id}:{d.due_date.isoformat()}" for d in dues).encode()).hexdigest()[:40]
    prefix = f"due-{digest}-"
    earlier = uow.session.scalar(select(func.count()).select_from(PaymentOrder).where(
        PaymentOrder.customer_id == customer_id, PaymentOrder.idempotency_key.startswith(prefix)))
    return f"{prefix}{earlier + 1}"


def _new_order(uow: "UnitOfWork", customer_id: int, dues: list[Due], key: str, provider: str) -> PaymentOrder:
    now = uow.clock.now()
    order = PaymentOrder(reference=new_reference(), customer_id=customer_id, amount=sum(d.amount for d in dues),
                         currency=CURRENCY, status=PENDING, provider=provider, idempotency_key=key,
                         created_at=now, updated_at=now)
    order.items = [PaymentOrderItem(policy_id=d.policy_id, due_date=d.due_date, amount=d.amount, active=True) for d in dues]
    uow.session.add(order)
    uow.session.flush()
    return order


def _checkout_request(order: PaymentOrder, dues: list[Due], urls: ReturnUrls, locale: str) -> CheckoutRequest:
    # Nothing here may vary between retries with this key (see CheckoutRequest): no reference.
    # The line items are in the customer's account language (stable, unlike a page's cookie).
    lines = tuple(CheckoutLine(translate(locale, CHECKOUT_LINE, policy=d.policy_number, date=d.due_date),
                               to_minor_units(d.amount))
                  for d in dues)
    # The provider closes it when the order's own time is up (the order's creation is fixed, so retries agree).
    closes = order.created_at + PENDING_LIFETIME
    return CheckoutRequest(currency=order.currency, idempotency_key=order.idempotency_key, lines=lines,
                           metadata={"order_key": order.idempotency_key}, success_url=urls.success, cancel_url=urls.cancel,
                           expires_at=int(closes.timestamp()))


def _order_paying(uow: "UnitOfWork", dues: list[Due]) -> StartedPayment | None:
    """The pending order already paying these dues: exactly these, or the customer must
    finish or cancel it first."""
    pending = uow.session.execute(
        select(PaymentOrder, PaymentOrderItem.policy_id, PaymentOrderItem.due_date)
        .join(PaymentOrderItem, PaymentOrderItem.order_id == PaymentOrder.id)
        .where(PaymentOrderItem.active, PaymentOrder.status == PENDING,
               PaymentOrderItem.policy_id.in_({d.policy_id for d in dues}))
    ).all()
    holding = {(policy_id, due_date): order for order, policy_id, due_date in pending}
    busy = [d for d in dues if (d.policy_id, d.due_date) in holding]
    if not busy:
        return None
    order = holding[(busy[0].policy_id, busy[0].due_date)]
    wanted = {(d.policy_id, d.due_date) for d in dues}
    if {(i.policy_id, i.due_date) for i in order.items if i.active} == wanted and order.checkout_url:
        return StartedPayment(order.reference, order.checkout_url, order.amount, reused=True)
    raise InvalidInput(N_("The premium of policy %(policy)s due %(date)s is already being paid (payment %(reference)s). "
                          "Finish or cancel that payment first."), field="due", policy=busy[0].policy_number,
                       date=busy[0].due_date.isoformat(), reference=order.reference)


def _order_with_key(uow: "UnitOfWork", key: str, dues: list[Due]) -> StartedPayment | None:
    order = uow.session.scalar(select(PaymentOrder).where(PaymentOrder.idempotency_key == key))
    if order is None:
        return None
    if order.status != PENDING or not order.checkout_url:
        raise InvalidInput(N_("These premiums were just paid or the payment was closed. Reload the page to see where they stand."),
                           field="due")
    return StartedPayment(order.reference, order.checkout_url, order.amount, reused=True)
