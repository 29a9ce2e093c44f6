"""On PostgreSQL with real commits and threads: one enrolment code sent back by ten browsers at
once opens one account (the code row is locked, used once); the migrated schema is the one the
services write."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.errors import InvalidInput
from paas.messaging.models import OutboxMessage
from paas.security import enrolment
from paas.security.models import Account
from tests.factories import make_customer, make_policy
from tests.outbox_support import _code_of
from tests.postgres_support import committing_platform, migrated_engine

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=12)


def test_one_code_sent_back_ten_times_at_once_opens_one_account(pg_engine):
    platform = committing_platform(pg_engine)
    with platform.unit_of_work() as uow:
        customer = make_customer(uow, name="周敏", mobile="+8613800138777")
        policy = make_policy(uow, customer)
        uow.commit()
        id_number = uow.keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT)
        sent = enrolment.start(uow, customer.name, id_number, policy.policy_number, address="203.0.113.9", locale="zh")
        uow.commit()
        message = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == customer.mobile)).one()
        code = _code_of(uow, message)
        customer_id = customer.id

    def finish(n: int) -> str:
        with platform.unit_of_work() as unit:
            try:
                enrolment.finish(unit, sent.handle, code, "river-lantern-58", None, address=f"198.51.100.{n}",
                                 user_agent=None, locale="zh")
                unit.commit()
                return "opened"
            except InvalidInput:
                unit.commit()
                return "refused"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(finish, range(10)))
    assert sorted(outcomes) == ["opened"] + ["refused"] * 9
    with platform.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Account).where(Account.customer_id == customer_id)) == 1
