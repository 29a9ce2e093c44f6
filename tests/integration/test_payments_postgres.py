"""The proofs, on PostgreSQL with real commits in a throwaway database and real threads:
replayed and shuffled webhooks credit each premium once; two concurrent attempts at the
same premium make one order and one charge; a webhook that is not genuine gets 400 and
changes nothing; a refund's failure overtaking the refund's own commit gets 503, keeps
nothing and is applied once on redelivery, however many copies come at once."""
from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from iaas.payments.sandbox import DECLINED_CARD, REFUND_FAILS_CARD, SUCCEEDING_CARD
from paas.audit import chain
from paas.billing.models import PaymentOrder, PaymentRefund, WebhookEvent
from paas.billing.payments import start_payment
from paas.persistence import Base
from paas.platform import Platform
from paas.policies.models import PremiumPayment
from tests.postgres_support import committing_platform, migrated_engine
from tests.factories import make_policy, make_policyholder, principal_of
from tests.payments_support import URLS, sandbox_gateway, session_of, signed, take_events

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
OCT, NOV = date(2026, 10, 20), date(2026, 11, 20)


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=10)


@pytest.fixture
def pg_platform(pg_engine, tmp_path) -> Platform:
    return committing_platform(pg_engine, payments=sandbox_gateway(tmp_path))


@pytest.fixture
def pg_app(pg_platform, settings):
    from portal.app import create_app

    return create_app(settings, platform=pg_platform)


def _customers(platform, count: int):
    """Customers each with a monthly policy in grace (20 Oct and 20 Nov unpaid)."""
    with platform.unit_of_work() as uow:
        made = []
        for _ in range(count):
            customer, account = make_policyholder(uow)
            policy = make_policy(uow, customer, status="grace", mode="monthly", premium="300.00",
                                 issue_date=date(2022, 10, 20), paid_to=OCT)
            made.append((principal_of(account), policy))
        uow.commit()
    return made


def _start(platform, who, policy, *dates):
    with platform.unit_of_work() as uow:
        started = start_payment(uow, who, [(policy.policy_number, d) for d in dates], URLS)
        uow.commit()
    return started


def _post(app, event, **signing):
    body, header = signed(event, **signing)
    return app.test_client().post("/webhooks/payments", data=body, headers={"Stripe-Signature": header})


def _snapshot(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {table.name: sorted(map(repr, conn.execute(select(table)).all())) for table in Base.metadata.sorted_tables}


def test_twenty_replays_shuffled_with_thirty_other_events_credit_each_premium_once(pg_platform, pg_app, pg_engine):
    gateway = pg_platform.payments
    people = _customers(pg_platform, 7)
    (a_who, a_policy), *others = people
    main = _start(pg_platform, a_who, a_policy, OCT, NOV)
    gateway.pay(session_of(main.checkout_url), SUCCEEDING_CARD)
    [replayed] = take_events(gateway)

    other_orders = [_start(pg_platform, who, policy, OCT) for who, policy in others]
    for started in other_orders[:3]:  # paid
        gateway.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    gateway.pay(session_of(other_orders[3].checkout_url), DECLINED_CARD)  # declined, then paid with another card
    gateway.pay(session_of(other_orders[3].checkout_url), SUCCEEDING_CARD)
    gateway.pay(session_of(other_orders[4].checkout_url), DECLINED_CARD)  # declined only
    gateway.expire_checkout(session_of(other_orders[5].checkout_url))  # abandoned
    distinct = take_events(gateway) + [
        {"id": f"evt_unrelated_{n}", "object": "event", "type": kind, "created": 1, "data": {"object": {"id": f"x{n}"}}}
        for n, kind in enumerate(("customer.created", "payment_intent.created", "charge.succeeded"))
    ]
    assert len(distinct) == 10
    deliveries = [replayed] * 20 + distinct * 3
    random.Random(20261127).shuffle(deliveries)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda event: _post(pg_app, event), deliveries))
    assert [a.status_code for a in answers] == [200] * 50
    outcomes = [a.json["outcome"] for a, e in zip(answers, deliveries) if e is replayed]
    assert outcomes.count("succeeded") == 1 and outcomes.count("duplicate") == 19

    with pg_platform.unit_of_work() as uow:
        credited = uow.session.execute(
            select(PremiumPayment.reference, func.count(), func.sum(PremiumPayment.amount))
            .where(PremiumPayment.reference.is_not(None)).group_by(PremiumPayment.reference)).all()
        orders = {o.reference: o for o in uow.session.scalars(select(PaymentOrder))}
        by_order = {reference: (count, total) for reference, count, total in credited}
        assert by_order[main.reference] == (2, Decimal("600.00"))
        for started in other_orders[:4]:
            assert by_order[started.reference] == (1, orders[started.reference].amount)
            assert orders[started.reference].status == "succeeded"
        assert set(by_order) == {main.reference, *(s.reference for s in other_orders[:4])}
        assert orders[other_orders[4].reference].status == "failed"
        assert orders[other_orders[5].reference].status == "expired"
        assert uow.session.scalar(select(func.count()).select_from(WebhookEvent)) == 11
        assert chain.verify(uow.session, uow.keyring).intact


class CountingGateway:
    """The sandbox, counting checkouts and slowed down, so both attempts are surely in flight."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.calls = inner, inner.name, 0
        self._lock = threading.Lock()

    def create_checkout(self, request):
        with self._lock:
            self.calls += 1
        time.sleep(0.2)
        return self.inner.create_checkout(request)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.mark.parametrize("round_", range(3))
def test_two_concurrent_attempts_at_the_same_premium_make_one_order_and_one_charge(pg_platform, round_):
    [(who, policy)] = _customers(pg_platform, 1)
    counting = pg_platform.payments = CountingGateway(pg_platform.payments)
    barrier = threading.Barrier(2)

    def attempt(_):
        with pg_platform.unit_of_work() as uow:
            barrier.wait()
            started = start_payment(uow, who, [(policy.policy_number, OCT)], URLS)
            uow.commit()
            return started

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(attempt, range(2))
    assert first.reference == second.reference and first.checkout_url == second.checkout_url
    assert sorted([first.reused, second.reused]) == [False, True]
    assert counting.calls == 1
    assert len(counting.inner.store.read("SELECT id FROM sessions")) == 1
    with pg_platform.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PaymentOrder)
                                  .where(PaymentOrder.customer_id == who.customer_id)) == 1


@pytest.mark.parametrize("tamper", ["body", "signature", "stale", "missing", "not json"])
def test_a_tampered_or_stale_webhook_gets_400_and_changes_nothing(pg_platform, pg_app, pg_engine, tamper):
    [(who, policy)] = _customers(pg_platform, 1)
    started = _start(pg_platform, who, policy, OCT)
    pg_platform.payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    [event] = take_events(pg_platform.payments)
    body, header = signed(event, timestamp=int(time.time()) - 301 if tamper == "stale" else None)
    if tamper == "body":
        body = body.replace(b'"payment_status": "paid"', b'"payment_status": "paid" ')
    elif tamper == "signature":
        header = header.replace("v1=", "v1=0")
    elif tamper == "not json":
        body, header = signed("not json")
    headers = {} if tamper == "missing" else {"Stripe-Signature": header}
    before = _snapshot(pg_engine)
    answer = pg_app.test_client().post("/webhooks/payments", data=body, headers=headers)
    assert answer.status_code == 400
    assert _snapshot(pg_engine) == before
    assert _post(pg_app, event).json["outcome"] == "succeeded"  # the genuine one still works


def test_mismatch_decline_and_refund_with_real_commits(pg_platform, pg_app):
    gateway = pg_platform.payments
    (who, policy), (who2, policy2) = _customers(pg_platform, 2)
    flagged = _start(pg_platform, who, policy, OCT)
    gateway.pay(session_of(flagged.checkout_url), SUCCEEDING_CARD)
    [event] = take_events(gateway)
    event["data"]["object"]["currency"] = "usd"
    assert _post(pg_app, event).json["outcome"] == "needs_review"

    declined = _start(pg_platform, who2, policy2, OCT)
    gateway.pay(session_of(declined.checkout_url), DECLINED_CARD)
    assert _post(pg_app, take_events(gateway)[0]).json["outcome"] == "failed"
    retry = _start(pg_platform, who2, policy2, OCT)
    assert retry.reference != declined.reference
    gateway.pay(session_of(retry.checkout_url), SUCCEEDING_CARD)
    assert _post(pg_app, take_events(gateway)[0]).json["outcome"] == "succeeded"

    from paas.billing.refunds import refund

    with pg_platform.unit_of_work() as uow:
        refund(uow, retry.reference, Decimal("300.00"), reason="free_look", actor=who2.actor)
        uow.commit()
    assert [e["type"] for e in gateway.store.undelivered()] == ["charge.refunded"]
    assert _post(pg_app, take_events(gateway)[0]).json["outcome"] == "refund confirmed"
    with pg_platform.unit_of_work() as uow:
        statuses = dict(uow.session.execute(select(PaymentOrder.reference, PaymentOrder.status)).all())
        assert (statuses[flagged.reference], statuses[declined.reference], statuses[retry.reference]) == (
            "needs_review", "failed", "refunded")
        credited = uow.session.scalars(select(PremiumPayment.reference).where(
            PremiumPayment.policy_id.in_([policy.id, policy2.id]), PremiumPayment.due_date >= OCT)).all()
        assert credited == [retry.reference]


class Overtaken:
    """The sandbox, delivering the refund's failure while our send of it has not committed:
    the webhook runs on another connection as the provider's answer is being stored."""

    def __init__(self, inner, app) -> None:
        self.inner, self.name, self._app = inner, inner.name, app
        self.events, self.answers = [], []

    def refund(self, *args):
        result = self.inner.refund(*args)
        self.events += take_events(self.inner)
        self.answers += [_post(self._app, event) for event in self.events]
        return result

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_refund_failure_that_overtakes_the_refunds_commit_is_retried_then_applied_once(pg_platform, pg_app, pg_engine):
    from paas.billing.refunds import refund

    gateway = pg_platform.payments
    [(who, policy)] = _customers(pg_platform, 1)
    started = _start(pg_platform, who, policy, OCT)
    gateway.pay(session_of(started.checkout_url), REFUND_FAILS_CARD)
    assert _post(pg_app, take_events(gateway)[0]).json["outcome"] == "succeeded"
    overtaken = pg_platform.payments = Overtaken(gateway, pg_app)
    before = _snapshot(pg_engine)
    with pg_platform.unit_of_work() as uow:
        refund(uow, started.reference, Decimal("300.00"), reason="free_look", actor=who.actor)
        uow.commit()  # then sent, and the provider's failure arrives before the send commits
    [event], [answer] = overtaken.events, overtaken.answers
    assert event["type"] == "refund.failed" and answer.status_code == 503
    with pg_platform.unit_of_work() as uow:
        assert uow.session.get(WebhookEvent, event["id"]) is None
        record = uow.session.scalar(select(PaymentRefund).join(PaymentOrder, PaymentOrder.id == PaymentRefund.order_id)
                                    .where(PaymentOrder.reference == started.reference))
        assert (record.status, record.provider_refund_id) == ("pending", event["data"]["object"]["id"])
    assert len(_snapshot(pg_engine)["webhook_events"]) == len(before["webhook_events"])

    with ThreadPoolExecutor(max_workers=5) as pool:  # the provider's retries, five copies at once
        answers = list(pool.map(lambda _: _post(pg_app, event), range(5)))
    assert [a.status_code for a in answers] == [200] * 5
    assert sorted(a.json["outcome"] for a in answers) == ["duplicate"] * 4 + ["refund failed"]
    with pg_platform.unit_of_work() as uow:
        order = uow.session.scalar(select(PaymentOrder).where(PaymentOrder.reference == started.reference))
        assert (order.status, order.refunded_amount) == ("succeeded", Decimal("0.00"))
        assert uow.session.scalar(select(PaymentRefund.status).where(PaymentRefund.order_id == order.id)) == "failed"
        assert chain.verify(uow.session, uow.keyring).intact
