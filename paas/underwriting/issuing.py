"""From an accepted application to a policy: the first premium through the payment port (the
provider's hosted checkout; the policy is issued when its signed webhook says the money was
taken), then the policy in force from today — the free-look period runs from its issue date —
with the first premium credited and the e-policy notice raised."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from iaas.payments import CheckoutLine, CheckoutRequest, PaymentProviderError
from paas.audit import chain
from paas.audit.chain import Actor
from paas.billing.crediting import credit_premium
from paas.billing.models import PaymentOrder
from paas.billing.orders import PENDING, new_reference
from paas.billing.payments import PENDING_LIFETIME, PROVIDER_DOWN, ReturnUrls, StartedPayment, gateway_of
from paas.customers.models import Customer
from paas.dividends.declare import CASH
from paas.errors import N_, InvalidInput, ServiceUnavailable
from paas.i18n import translate
from paas.money import CURRENCY, to_minor_units
from paas.numbering import POLICY_NUMBER, allocate
from paas.policies.models import Beneficiary, Policy
from paas.policies.schedule import add_months
from paas.policies.terms import FREE_LOOK_DAYS, IN_FORCE
from paas.notices.events import raise_event
from paas.products.catalogue import sync_catalogue
from paas.products.models import Product
from paas.security.preferences import customer_locale
from paas.security.principal import Principal
from paas.underwriting.applications import details, mine
from paas.underwriting.models import Application
from paas.underwriting.states import ACCEPTED, ISSUED

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NOT_PAYABLE = N_("Application %(reference)s is not waiting for its first premium.")
CHECKOUT_LINE = N_("First premium of application %(reference)s")
POLICY_ISSUED = "policy_issued"


def first_premium(application: Application) -> Decimal:
    return application.offered_premium if application.offered_premium is not None else application.modal_premium


def start_first_premium(uow: "UnitOfWork", who: Principal, reference: str, urls: ReturnUrls) -> StartedPayment:
    gateway = gateway_of(uow)
    application = mine(uow, who, reference, lock=True)
    if application.status != ACCEPTED:
        raise InvalidInput(NOT_PAYABLE, reference=application.reference)
    current = uow.session.get(PaymentOrder, application.payment_order_id) if application.payment_order_id else None
    if current is not None and current.status == PENDING and current.checkout_url:
        return StartedPayment(current.reference, current.checkout_url, current.amount, reused=True)
    amount = first_premium(application)
    prefix = f"app-{hashlib.sha256(application.reference.encode()).hexdigest()[:24]}-"
    earlier = uow.session.scalar(select(func.count()).select_from(PaymentOrder).where(
        PaymentOrder.idempotency_key.startswith(prefix)))
    now = uow.clock.now()
    order = PaymentOrder(reference=new_reference(), customer_id=application.owner_id, amount=amount, currency=CURRENCY,
                         status=PENDING, provider=gateway.name, idempotency_key=f"{prefix}{earlier + 1}",
                         created_at=now, updated_at=now)
    uow.session.add(order)
    uow.session.flush()
    application.payment_order_id = order.id
    line = translate(customer_locale(uow, application.owner_id), CHECKOUT_LINE, reference=application.reference)
    request = CheckoutRequest(currency=CURRENCY, idempotency_key=order.idempotency_key,
                              lines=(CheckoutLine(line, to_minor_units(amount)),),
                              metadata={"order_key": order.idempotency_key}, success_url=urls.success,
                              cancel_url=urls.cancel, expires_at=int((order.created_at + PENDING_LIFETIME).timestamp()))
    try:
        checkout = gateway.create_checkout(request)
    except PaymentProviderError as exc:
        raise ServiceUnavailable(PROVIDER_DOWN) from exc
    order.provider_session_id, order.checkout_url = checkout.session_id, checkout.url
    chain.record(uow, who.actor, "payment.started", subject=f"payment:{order.reference}",
                 detail={"amount": str(amount), "application": application.reference})
    return StartedPayment(order.reference, checkout.url, amount, reused=False)


def issue_paid(uow: "UnitOfWork", order: PaymentOrder, actor: Actor) -> Decimal:
    """Called as an order's money arrives. Issues the policy of the application the order pays;
    returns what of the order could not be used (all of it if the application was withdrawn
    or paid already by another order), for the caller to refund."""
    application = uow.session.scalar(select(Application).where(Application.payment_order_id == order.id)
                                     .with_for_update())
    if application is None:
        return Decimal("0.00")  # not a first premium
    if application.status != ACCEPTED:
        return order.amount
    issue(uow, application, order, actor)
    return Decimal("0.00")


def _product_row(uow: "UnitOfWork", application: Application) -> Product:
    query = select(Product).where(Product.code == application.product_code, Product.version == application.product_version)
    product = uow.session.scalar(query)
    if product is None:  # a new catalogue version not written to the table yet
        sync_catalogue(uow.session)
        product = uow.session.scalar(query)
    return product


def issue(uow: "UnitOfWork", application: Application, order: PaymentOrder, actor: Actor) -> Policy:
    data = details(application)
    checked = data["checked"]
    today, now = uow.clock.today(), uow.clock.now()
    product = _product_row(uow, application)
    premium = first_premium(application)
    years = checked["premium_years"]
    owner = uow.session.get(Customer, application.owner_id)
    bank = owner.bank_accounts[checked["bank_account"] - 1] if checked.get("bank_account") else None
    policy = Policy(
        policy_number=POLICY_NUMBER.format(allocate(uow.session, "policy")), product_id=product.id,
        owner_id=application.owner_id, insured_id=application.insured_id, status=IN_FORCE, issue_date=today,
        expiry_date=add_months(today, 12 * application.term_years) if application.term_years else None,
        sum_assured=application.sum_assured, modal_premium=premium, premium_mode=application.premium_mode,
        premium_end_date=add_months(today, 12 * years) if years else None, paid_to_date=today, currency=CURRENCY,
        status_date=today, dividend_option=CASH if product.participating else None,
        payment_method="bank_debit" if bank is not None else "online",
        debit_bank_account_id=bank.id if bank is not None else None, created_at=now)
    for rank_name, relation, share in checked.get("beneficiaries", []):
        policy.beneficiaries.append(Beneficiary(name=rank_name, relationship_to_insured=relation, rank=1,
                                                share=Decimal(share)))
    uow.session.add(policy)
    uow.session.flush()
    credit_premium(uow, policy, today, premium, kind="payment", channel="card", reference=order.reference, actor=actor)
    application.status, application.policy_id, application.issued_at, application.updated_at = ISSUED, policy.id, now, now
    application.version += 1
    raise_event(uow, policy.id, POLICY_ISSUED, today, {
        "reference": policy.policy_number, "application": application.reference, "sum_assured": str(policy.sum_assured), "premium": str(premium),
        "extra_premium_pct": str(application.extra_premium_pct) if application.extra_premium_pct else None,
        "exclusion": application.exclusion, "free_look_days": FREE_LOOK_DAYS}, reference=policy.policy_number)
    chain.record(uow, actor, "policy.issued", subject=f"policy:{policy.policy_number}",
                 detail={"application": application.reference, "premium": str(premium)})
    return policy
