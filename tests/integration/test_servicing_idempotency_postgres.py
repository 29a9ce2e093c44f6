"""The same Idempotency-Key returns the same request, always - also while its first copy is
still in flight: on PostgreSQL with real commits, copies of one form sent at once by many
threads all get the one request, never "another change is still open" about themselves."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.errors import InvalidInput
from paas.platform import Platform
from paas.policies.ledger import credit
from paas.servicing import engine
from paas.servicing.models import ServiceRequest
from tests.integration.servicing_money_support import holder, priced_policy
from tests.servicing_support import address
from tests.postgres_support import committing_platform, migrated_engine

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
COPIES = 12


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=COPIES + 2)


@pytest.fixture
def pg(pg_engine) -> Platform:
    return committing_platform(pg_engine)


@pytest.mark.parametrize("kind, inputs", [
    ("dividend_withdrawal", {"amount": "100", "bank_account": "1"}),  # waits for its code: open
    ("contact_address", address()),  # applied at once
])
def test_copies_of_one_form_sent_at_once_are_one_request(pg, kind, inputs):
    with pg.unit_of_work() as uow:
        customer, who = holder(uow)
        policy = priced_policy(uow, customer, "WLPAR", "200000")
        uow.session.flush()
        credit(uow, policy.id, "dividends", "credit", Decimal("1000.00"), policy.issue_date, reference="seed")
        uow.commit()
        policy_number = policy.policy_number
    ready = threading.Barrier(COPIES)

    def send():
        ready.wait()
        try:
            with pg.unit_of_work() as uow:
                request = engine.start(uow, who, policy_number, kind, inputs, channel="api", idempotency_key="one-form")
                reference = request.reference
                time.sleep(0.05)  # the first copy is still in flight while the others arrive
                uow.commit()
                return reference
        except InvalidInput as error:
            return f"refused: {error}"

    with ThreadPoolExecutor(max_workers=COPIES) as pool:
        answers = list(pool.map(lambda _: send(), range(COPIES)))
    with pg.unit_of_work() as uow:
        made = uow.session.scalars(select(ServiceRequest.reference).where(
            ServiceRequest.customer_id == customer.id)).all()
    assert len(made) == 1 and answers == made * COPIES
