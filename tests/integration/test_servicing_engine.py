"""The servicing engine's common steps, on two simple transactions: a change applied at
once, and a money movement confirmed by an SMS code."""
from __future__ import annotations

from decimal import Decimal

import pytest

from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.policies.ledger import balance, credit
from paas.security.sessions import principal_of
from paas.servicing import engine
from tests.factories import make_policy, make_policyholder
from tests.outbox_support import sms_code
from tests.servicing_support import address


@pytest.fixture
def holder(uow):
    from paas.customers.registry import add_bank_account

    customer, account = make_policyholder(uow, mobile="+8613611112222")
    add_bank_account(uow, customer, bank_name="中国银行", account_number="6217000011112222333", verified=True)
    policy = make_policy(uow, customer, product="WLPAR", term_years=None)
    credit(uow, policy.id, "dividends", "credit", Decimal("1000.00"), policy.issue_date, reference="seed-dividend")
    uow.commit()
    return customer, principal_of(account), policy


def _code(uow, reference):
    return sms_code(uow, reference)


def test_address_change_applies_at_once_and_is_audited(uow, holder):
    customer, who, policy = holder
    request = engine.start(uow, who, policy.policy_number, "contact_address", address(),
                           channel="web", idempotency_key="form-1")
    assert request.status == "applied" and customer.address == "上海市黄浦区南京东路100号"
    again = engine.start(uow, who, policy.policy_number, "contact_address", address("somewhere else"),
                         channel="web", idempotency_key="form-1")
    assert again.id == request.id and customer.address == "上海市黄浦区南京东路100号"  # same form, same request


def test_withdrawal_needs_the_code_and_applies_once(uow, holder):
    _, who, policy = holder
    request = engine.start(uow, who, policy.policy_number, "dividend_withdrawal", {"amount": "400", "bank_account": "1"},
                           channel="web", idempotency_key="form-2")
    assert request.status == "awaiting_code" and balance(uow, policy.id, "dividends") == Decimal("1000.00")
    code = _code(uow, request.reference)
    wrong = engine.confirm(uow, who, request.reference, code[:-1] + str((int(code[-1]) + 1) % 10))
    assert (wrong.result, wrong.attempts_left, request.code_attempts) == ("wrong_code", 4, 1)
    assert engine.confirm(uow, who, request.reference, code).confirmed
    assert request.status == "applied" and balance(uow, policy.id, "dividends") == Decimal("600.00")
    assert engine.confirm(uow, who, request.reference, code).confirmed  # a replay
    assert balance(uow, policy.id, "dividends") == Decimal("600.00")


def test_over_the_balance_is_refused_with_the_maximum(uow, holder):
    _, who, policy = holder
    with pytest.raises(InvalidInput) as error:
        engine.start(uow, who, policy.policy_number, "dividend_withdrawal", {"amount": "1000.01"},
                     channel="web", idempotency_key="form-3")
    assert error.value.params["maximum"] == "1,000.00"


def test_an_open_request_blocks_a_conflicting_one(uow, holder):
    _, who, policy = holder
    first = engine.start(uow, who, policy.policy_number, "dividend_withdrawal", {"amount": "10"},
                         channel="web", idempotency_key="form-4")
    with pytest.raises(InvalidInput) as error:
        engine.start(uow, who, policy.policy_number, "dividend_withdrawal", {"amount": "10"},
                     channel="web", idempotency_key="form-5")
    assert error.value.params["reference"] == first.reference
    engine.cancel(uow, who, first.reference)
    engine.start(uow, who, policy.policy_number, "dividend_withdrawal", {"amount": "10"}, channel="web",
                 idempotency_key="form-6")


def test_another_customers_policy_and_request_are_not_found(uow, holder):
    _, who, policy = holder
    stranger_customer, stranger_account = make_policyholder(uow)
    stranger = principal_of(stranger_account)
    with pytest.raises(NotFound):
        engine.start(uow, stranger, policy.policy_number, "contact_address", address("中关村1号", province="北京市", city="北京市", district="海淀区"),
                     channel="web", idempotency_key="x-1")
    mine = engine.start(uow, who, policy.policy_number, "dividend_withdrawal", {"amount": "5"}, channel="web",
                        idempotency_key="form-7")
    with pytest.raises(NotFound):
        engine.confirm(uow, stranger, mine.reference, "123456")
    with pytest.raises(NotFound):
        engine.cancel(uow, stranger, mine.reference)


def test_nothing_held_means_not_available(uow, holder):
    _, who, policy = holder
    with pytest.raises(NotPermitted):
        engine.start(uow, who, policy.policy_number, "survival_benefit_withdrawal", {"amount": "1"},
                     channel="web", idempotency_key="form-8")
