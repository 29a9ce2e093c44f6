"""The proofs on PostgreSQL, with real commits in a throwaway database and real threads:
100 withdrawals racing for one balance never overdraw it, and what was paid is what the
ledger (or the fund orders) show; a loan and a surrender racing on one policy leave it
consistent; a confirmation replayed ten times at once applies once.

The engine keeps one open money request per policy, so each thread does what a person
would: start, confirm with the SMS code, and start again if another request was open."""
from __future__ import annotations

import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import func, select

from paas.errors import InvalidInput, NotPermitted
from paas.funds.execution import execute_fund_orders
from paas.funds.models import FundHolding, FundOrder
from paas.loans.models import PolicyLoan
from paas.platform import Platform
from paas.policies.ledger import balance, credit
from paas.notices.models import PolicyEvent
from paas.policies.models import Policy, PolicyLedgerEntry
from paas.servicing import engine as servicing
from paas.servicing.context import load_context
from tests.postgres_support import committing_platform, migrated_engine
from tests.integration.servicing_money_support import NEXT_TRADE, holder, priced_policy, unit_linked
from tests.outbox_support import sms_code

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
THREADS = 100


@pytest.fixture(scope="module")
def pg_engine(postgres_databases):
    yield from migrated_engine(postgres_databases, pool_size=20)


@pytest.fixture
def pg(pg_engine) -> Platform:
    return committing_platform(pg_engine)


def attempt(platform: Platform, who, policy_number: str, kind: str, inputs: dict) -> str:
    """Start and confirm until the request applies or is refused for good."""
    for _ in range(2000):
        try:
            with platform.unit_of_work() as uow:
                request = servicing.start(uow, who, policy_number, kind, inputs, channel="web",
                                          idempotency_key=uuid.uuid4().hex)
                uow.commit()
        except InvalidInput as error:
            if error.message != servicing.CONFLICT:
                return "refused"
            time.sleep(random.uniform(0.001, 0.01))  # someone else's request is open: try again
            continue
        except NotPermitted:
            return "refused"
        with platform.unit_of_work() as uow:
            try:
                servicing.confirm(uow, who, request.reference, _code(uow, request.reference))
                uow.commit()
                return "applied"
            except (InvalidInput, NotPermitted):
                uow.rollback()
        with platform.unit_of_work() as uow:  # refused when re-checked: cancel so others go on
            servicing.cancel(uow, who, request.reference)
            uow.commit()
        return "refused"
    return "gave up"


def _code(uow, reference: str) -> str:
    return sms_code(uow, reference)


def _race(calls) -> list[str]:
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _payouts(uow, policy_id: int) -> list[Decimal]:
    import json

    details = uow.session.scalars(select(PolicyEvent.detail).where(PolicyEvent.policy_id == policy_id,
                                                                   PolicyEvent.type == "payout")).all()
    return [Decimal(json.loads(d)["amount"]) for d in details]


def test_a_hundred_dividend_withdrawals_never_overdraw_the_balance(pg):
    with pg.unit_of_work() as uow:
        customer, who = holder(uow)
        policy = priced_policy(uow, customer, "WLPAR", "100000")
        credit(uow, policy.id, "dividends", "credit", Decimal("10000.00"), date(2026, 3, 1), reference=f"d-{policy.id}")
        uow.commit()
        number, policy_id = policy.policy_number, policy.id
    outcomes = _race([lambda: attempt(pg, who, number, "dividend_withdrawal",
                                      {"amount": "150", "bank_account": "1"})] * THREADS)
    assert outcomes.count("applied") == 66 and outcomes.count("refused") == 34  # 66 x 150 = 9,900 of 10,000
    with pg.unit_of_work() as uow:
        left = balance(uow, policy_id, "dividends")
        withdrawn = uow.session.scalar(select(func.sum(PolicyLedgerEntry.amount)).where(
            PolicyLedgerEntry.policy_id == policy_id, PolicyLedgerEntry.kind == "withdrawal"))
        assert left == Decimal("100.00") and -withdrawn == Decimal("9900.00") == Decimal("10000.00") - left
        assert sum(_payouts(uow, policy_id)) == Decimal("9900.00") and len(_payouts(uow, policy_id)) == 66


def test_a_hundred_partial_withdrawals_never_sell_what_is_not_there(pg):
    with pg.unit_of_work() as uow:
        customer, who = holder(uow)
        policy = unit_linked(uow, customer, {"BOND": "20000", "BAL": "10000"})  # 44,000.00; 39,000 may go
        uow.commit()
        number, policy_id = policy.policy_number, policy.id
    outcomes = _race([lambda: attempt(pg, who, number, "partial_withdrawal",
                                      {"amount": "500", "bank_account": "1"})] * THREADS)
    assert outcomes.count("applied") == 78 and outcomes.count("refused") == 22
    with pg.unit_of_work() as uow:
        orders = uow.session.scalars(select(FundOrder).where(FundOrder.policy_id == policy_id)).all()
        assert sum(o.amount for o in orders) == Decimal("39000.00") and {o.kind for o in orders} == {"sell"}
        execute_fund_orders(uow, NEXT_TRADE)
        uow.commit()
    with pg.unit_of_work() as uow:
        executed = uow.session.scalar(select(func.sum(FundOrder.executed_amount)).where(FundOrder.policy_id == policy_id))
        assert executed == Decimal("39000.00") == sum(_payouts(uow, policy_id))
        units = dict(uow.session.execute(select(FundHolding.fund_code, FundHolding.units)
                                         .where(FundHolding.policy_id == policy_id)).all())
        sold = {code: sum(o.executed_units for o in uow.session.scalars(select(FundOrder).where(
            FundOrder.policy_id == policy_id, FundOrder.fund_code == code))) for code in units}
        assert units["BOND"] + sold["BOND"] == 20000 and units["BAL"] + sold["BAL"] == 10000
        assert min(units.values()) > 0


def test_a_loan_racing_a_surrender_leaves_the_policy_consistent(pg):
    seen = []
    for _ in range(8):
        with pg.unit_of_work() as uow:
            customer, who = holder(uow)
            policy = priced_policy(uow, customer, "WLPAR", "500000")
            uow.commit()
            number, policy_id = policy.policy_number, policy.id
            cash_value = load_context(uow, policy_id, lock=False).valuation.cash_value
        loan, surrender = _race([
            partial(attempt, pg, who, number, "policy_loan", {"amount": "10000", "bank_account": "1"}),
            partial(attempt, pg, who, number, "surrender", {"bank_account": "1"}),
        ])
        seen.append(loan)
        assert surrender == "applied"
        with pg.unit_of_work() as uow:
            assert uow.session.get(Policy, policy_id).status == "surrendered"
            loans = uow.session.execute(select(PolicyLoan.status, PolicyLoan.balance).where(
                PolicyLoan.policy_id == policy_id)).all()
            payouts = sorted(_payouts(uow, policy_id))
            if loan == "applied":  # lent first: the surrender paid the value net of the new loan
                assert loans == [("repaid", 0)] and payouts == sorted([Decimal("10000.00"), cash_value - 10000])
            else:  # surrendered first: nothing was lent
                assert loans == [] and payouts == [cash_value]
    assert set(seen) <= {"applied", "refused"}


def test_a_confirmation_replayed_at_once_applies_once(pg):
    with pg.unit_of_work() as uow:
        customer, who = holder(uow)
        policy = priced_policy(uow, customer, "WLPAR", "500000")
        uow.commit()
        request = servicing.start(uow, who, policy.policy_number, "policy_loan", {"amount": "2500", "bank_account": "1"},
                                  channel="web", idempotency_key="replayed")
        uow.commit()
        reference, policy_id = request.reference, policy.id
        code = _code(uow, reference)

    def confirm():
        with pg.unit_of_work() as uow:
            status = servicing.confirm(uow, who, reference, code).request.status
            uow.commit()
            return status

    assert _race([confirm] * 10) == ["applied"] * 10
    with pg.unit_of_work() as uow:
        assert uow.session.scalars(select(PolicyLoan.balance).where(PolicyLoan.policy_id == policy_id)).all() == [
            Decimal("2500.00")]
        assert _payouts(uow, policy_id) == [Decimal("2500.00")]
