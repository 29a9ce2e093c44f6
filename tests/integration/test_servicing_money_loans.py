"""Policy loans (18503) and their repayment (18502) through the engine: amounts to the fen
against the values engine, the open loan capitalised before it grows or shrinks, the payout
or collection raised once, and each reason a policy cannot borrow or repay."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.loans.lending import lend
from paas.loans.models import PolicyLoan
from paas.policies.ledger import balance, credit
from paas.products.values import loan_interest, loan_maximum
from paas.servicing import engine
from paas.servicing.context import load_context
from paas.servicing.kinds import common
from paas.servicing.registry import transaction
from tests.factories import make_policy
from tests.integration.servicing_money_support import TODAY, event, holder, last_code, outcome, priced_policy, run


@pytest.fixture
def whole_life(uow):
    customer, who = holder(uow)
    policy = priced_policy(uow, customer, "WLPAR", "500000")
    uow.commit()
    return who, policy


def _loan(uow, policy):
    return uow.session.scalar(select(PolicyLoan).where(PolicyLoan.policy_id == policy.id, PolicyLoan.status == "open"))


def test_a_loan_up_to_the_limit_is_paid_out_once(uow, whole_life):
    who, policy = whole_life
    ctx = load_context(uow, policy.id)
    limit = loan_maximum(ctx.cover, ctx.valuation.cash_value, Decimal(0))
    assert limit == (Decimal("0.8") * ctx.valuation.cash_value).quantize(Decimal("0.01")) > 0
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "policy_loan", {"amount": str(limit + Decimal("0.01")), "bank_account": "1"})
    assert error.value.params["maximum"] == f"{limit:,.2f}"
    request = run(uow, who, policy, "policy_loan", {"amount": "30000.00", "bank_account": "1"})
    assert request.status == "applied"
    loan = _loan(uow, policy)
    assert (loan.principal, loan.balance, loan.interest_rate, loan.interest_to) == (
        Decimal("30000.00"), Decimal("30000.00"), Decimal("0.0500"), TODAY)
    assert event(uow, policy, f"payout:{request.reference}")["amount"] == "30000.00"
    engine.confirm(uow, who, request.reference, "000000")  # a replay: nothing more
    assert uow.session.scalars(select(PolicyLoan.balance).where(PolicyLoan.policy_id == policy.id)).all() == [
        Decimal("30000.00")]
    after = load_context(uow, policy.id).valuation
    assert after.loan_maximum == loan_maximum(ctx.cover, ctx.valuation.cash_value, Decimal("30000.00"))


def test_borrowing_again_capitalises_the_interest_first(uow, whole_life):
    who, policy = whole_life
    taken = date(2025, 5, 1)
    uow.session.add(PolicyLoan(policy_id=policy.id, principal=Decimal("20000"), interest_rate=Decimal("0.05"),
                               taken_on=taken, interest_to=taken, balance=Decimal("20000"), status="open",
                               created_at=uow.clock.now()))
    uow.session.flush()
    interest = loan_interest(Decimal("20000"), Decimal("0.05"), taken, TODAY)
    request = run(uow, who, policy, "policy_loan", {"amount": "1000", "bank_account": "1"})
    loan = _loan(uow, policy)
    assert loan.balance == Decimal("21000.00") + interest and loan.principal == Decimal("21000.00")
    assert loan.interest_to == TODAY and outcome(request)["loan_balance"] == str(loan.balance)


@pytest.mark.parametrize(("amount", "message"), [
    ("-5", "Enter an amount"), ("0", "greater than zero"), ("10.001", "Enter an amount"), ("abc", "Enter an amount"),
    ("99999999", "The most you can take"),
])
def test_bad_amounts_are_refused_with_a_clear_message(uow, whole_life, amount, message):
    who, policy = whole_life
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "policy_loan", {"amount": amount, "bank_account": "1"})
    assert message in error.value.message and error.value.field == "amount"


@pytest.mark.parametrize(("product", "status", "reason"), [
    ("TERM", "in_force", "This product does not lend against its value."),
    ("WLPAR", "lapsed", common.LAPSED_NOW), ("WLPAR", "grace", common.IN_GRACE),
    ("WLPAR", "surrendered", common.ENDED), ("WLPAR", "matured", common.ENDED), ("WLPAR", "cancelled", common.ENDED),
])
def test_who_cannot_borrow_is_told_why(uow, product, status, reason):
    customer, who = holder(uow)
    policy = make_policy(uow, customer, product=product, status=status, term_years=None if product == "WLPAR" else 20)
    policy.status_date = uow.clock.today()  # the status began today (a lapsed one may still be reinstated)
    with pytest.raises(NotPermitted) as error:
        run(uow, who, policy, "policy_loan", {"amount": "100"})
    assert error.value.message == reason


def test_no_loan_while_a_claim_is_open_or_the_limit_is_reached(uow, whole_life):
    who, policy = whole_life
    txn, ctx = transaction("policy_loan"), load_context(uow, policy.id)
    assert txn.eligibility(replace(ctx, open_claim=True)) == common.CLAIM_OPEN
    run(uow, who, policy, "policy_loan", {"amount": str(ctx.valuation.loan_maximum), "bank_account": "1"})
    assert txn.eligibility(load_context(uow, policy.id)) == "Nothing more can be borrowed now: the loan limit is " \
                                                             "reached or the cash value is too small."


def test_another_customers_policy_is_not_found(uow, whole_life):
    _, policy = whole_life
    _, stranger = holder(uow)
    for kind in ("policy_loan", "loan_repayment"):
        with pytest.raises(NotFound):
            run(uow, stranger, policy, kind, {"amount": "100", "bank_account": "1"})


def test_repaying_part_pays_the_interest_first(uow, whole_life):
    who, policy = whole_life
    run(uow, who, policy, "policy_loan", {"amount": "10000", "bank_account": "1"})
    uow.clock.advance(TODAY.replace(year=2027, month=1, day=26) - TODAY)  # 60 days of interest
    interest = loan_interest(Decimal("10000"), Decimal("0.05"), TODAY, date(2027, 1, 26))
    assert interest == Decimal("82.19")
    request = run(uow, who, policy, "loan_repayment", {"amount": "1000", "source": "bank_debit", "bank_account": "1"})
    loan = _loan(uow, policy)
    assert outcome(request)["interest"] == "82.19" and outcome(request)["principal"] == "917.81"
    assert (loan.principal, loan.balance) == (Decimal("9082.19"), Decimal("9082.19"))
    collected = event(uow, policy, f"collection:{request.reference}")
    assert collected["amount"] == "1000.00" and collected["purpose"] == "loan_repayment" and "*" in collected["account"]


def test_full_repayment_from_dividends_held_closes_the_loan(uow, whole_life):
    who, policy = whole_life
    run(uow, who, policy, "policy_loan", {"amount": "500", "bank_account": "1"})
    with pytest.raises(InvalidInput) as error:  # nothing held yet
        run(uow, who, policy, "loan_repayment", {"full": "on", "source": "dividends"})
    assert error.value.field == "source"
    credit(uow, policy.id, "dividends", "credit", Decimal("300.00"), TODAY, reference="test-dividend")
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "loan_repayment", {"full": "on", "source": "dividends"})
    assert error.value.params["maximum"] == "300.00"
    credit(uow, policy.id, "dividends", "credit", Decimal("700.00"), TODAY, reference="test-dividend-2")
    request = run(uow, who, policy, "loan_repayment", {"full": "on", "source": "dividends"})
    assert outcome(request)["closed"] is True and _loan(uow, policy) is None
    assert balance(uow, policy.id, "dividends") == Decimal("500.00")
    assert event(uow, policy, f"collection:{request.reference}") is None
    assert transaction("loan_repayment").eligibility(load_context(uow, policy.id)) == "There is no policy loan to repay."


def test_repaying_more_than_owed_is_refused(uow, whole_life):
    who, policy = whole_life
    run(uow, who, policy, "policy_loan", {"amount": "500", "bank_account": "1"})
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "loan_repayment", {"amount": "500.01", "source": "bank_debit"})
    assert error.value.params["maximum"] == "500.00" and "You owe" in error.value.message
    with pytest.raises(InvalidInput):
        run(uow, who, policy, "loan_repayment", {"amount": "5", "source": "lottery"})


def test_confirming_rechecks_the_limit_as_it_is_then(uow, whole_life):
    who, policy = whole_life
    limit = load_context(uow, policy.id).valuation.loan_maximum
    request = run(uow, who, policy, "policy_loan", {"amount": str(limit), "bank_account": "1"}, code=False)
    # Meanwhile the nightly cycle lends an overdue premium (automatic premium loan) from the same value.
    lend(uow, policy.id, None, Decimal("100.00"), Decimal("0.05"), TODAY)
    uow.session.flush()
    with pytest.raises(InvalidInput) as error:
        engine.confirm(uow, who, request.reference, last_code(uow, request.reference))
    assert error.value.params["maximum"] == f"{limit - Decimal('100.00'):,.2f}"
    assert request.status == "awaiting_code" and event(uow, policy, f"payout:{request.reference}") is None
