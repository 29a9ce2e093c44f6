"""On PostgreSQL with real commits and real threads (and the schema built by the migrations):
two clerks settling the same payment held for review at once, one crediting and one
refunding, make exactly one decision: either the premium is credited once and nothing is
refunded, or it is refunded once and nothing is credited."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from iaas.payments.sandbox import SUCCEEDING_CARD
from paas.billing.models import PaymentOrder, PaymentRefund
from paas.billing.payments import start_payment
from paas.billing.review_outcome import settle_review
from paas.errors import NotFound
from paas.policies.models import PremiumPayment
from paas.security.sessions import principal_of
from tests.factories import make_policy, make_policyholder, make_staff
from tests.payments_support import URLS, deliver, sandbox_gateway, session_of, take_events
from tests.postgres_support import committing_platform, migrated_engine

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
OCT = date(2026, 10, 20)


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=6)


def test_two_clerks_at_once_make_one_decision(pg_engine, tmp_path):
    payments = sandbox_gateway(tmp_path)
    platform = committing_platform(pg_engine, payments=payments)
    with platform.unit_of_work() as uow:
        customer, account = make_policyholder(uow)
        policy = make_policy(uow, customer, status="grace", mode="monthly", premium="300.00",
                             issue_date=date(2022, 10, 20), paid_to=OCT)
        clerks = [principal_of(make_staff(uow, role="clerk").account) for _ in range(2)]
        uow.commit()
        started = start_payment(uow, principal_of(account), [(policy.policy_number, OCT)], URLS)
        uow.commit()
        policy_id = policy.id
    payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    [event] = take_events(payments)
    event["data"]["object"]["amount_total"] = 29900
    assert deliver(platform, event) == "needs_review"

    barrier, outcomes = threading.Barrier(2), []

    def settle(clerk, decision):
        barrier.wait()
        with platform.unit_of_work() as uow:
            try:
                settle_review(uow, clerk, started.reference, decision, "Checked with the bank by phone")
                uow.commit()
                outcomes.append(decision)
            except NotFound:
                outcomes.append("settled already")

    threads = [threading.Thread(target=settle, args=(clerk, decision))
               for clerk, decision in zip(clerks, ("credit", "refund"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes).count("settled already") == 1
    with platform.unit_of_work() as uow:
        order = uow.session.scalar(select(PaymentOrder).where(PaymentOrder.reference == started.reference))
        credited = uow.session.scalar(select(func.count()).select_from(PremiumPayment).where(
            PremiumPayment.policy_id == policy_id, PremiumPayment.due_date == OCT))
        refunds = uow.session.scalar(select(func.count()).select_from(PaymentRefund).where(
            PaymentRefund.order_id == order.id))
        status = order.status
    if "credit" in outcomes:
        assert (status, credited, refunds) == ("succeeded", 1, 0)
    else:
        assert (status, credited, refunds) == ("refunded", 0, 1)
