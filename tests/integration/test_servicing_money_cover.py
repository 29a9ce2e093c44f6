"""Changes to the cover that move money: sum assured reduction and reduced paid-up (21204),
free-look cancellation (18510), full surrender (18511) and reinstatement (18509), each to
the fen against the engine, with its refusals and its review queue."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from iaas.payments.sandbox import SUCCEEDING_CARD
from paas.billing.models import PaymentOrder, PaymentRefund
from paas.billing.payments import start_payment
from paas.errors import InvalidInput, NotPermitted
from paas.funds.execution import execute_fund_orders
from paas.funds.models import FundHolding
from paas.loans.models import PolicyLoan
from paas.policies.ledger import balance, credit
from paas.policies.models import PremiumPayment
from paas.policies.valuation import annual_premium
from paas.products.pricing import premium_for
from paas.products.values import cash_value_on, reinstatement_amount
from paas.security.sessions import principal_of
from paas.servicing import engine
from paas.servicing.context import load_context
from paas.servicing.kinds import common
from paas.servicing.registry import transaction
from tests.factories import make_staff
from tests.integration.servicing_money_support import (
    TODAY, event, holder, outcome, priced_policy, run, unit_linked,
)
from tests.payments_support import URLS, deliver_all, session_of

NO = {"health_conditions": "no", "health_hospital": "no", "health_symptoms": "no", "bank_account": "1"}


@pytest.fixture
def owner(uow):
    customer, who = holder(uow)
    uow.commit()
    return customer, who


def _lend(uow, policy, amount: str, on: date = date(2025, 5, 1)):
    uow.session.add(PolicyLoan(policy_id=policy.id, principal=Decimal(amount), interest_rate=Decimal("0.05"), taken_on=on,
                               interest_to=on, balance=Decimal(amount), status="open", created_at=uow.clock.now()))
    uow.session.flush()


def test_reduced_paid_up_takes_the_engines_sum_and_stops_premiums(uow, owner):
    customer, who = owner
    policy = priced_policy(uow, customer, "WLPAR", "500000")
    ctx = load_context(uow, policy.id)
    expected = cash_value_on(ctx.cover, annual_premium(ctx.facts), policy.issue_date, TODAY).paid_up_sum_assured
    request = run(uow, who, policy, "reduced_paid_up", {})
    assert outcome(request)["paid_up_sum_assured"] == str(expected) == "189380.84"
    assert (policy.status, policy.paid_up_sum_assured, policy.status_date) == ("paid_up", expected, TODAY)
    after = load_context(uow, policy.id).valuation
    assert after.paid_up_sum_assured == expected and after.cash_value > 0
    assert transaction("reduced_paid_up").eligibility(load_context(uow, policy.id)) == common.PAID_UP_NOW


def test_reduced_paid_up_refusals(uow, owner):
    customer, who = owner
    borrowed = priced_policy(uow, customer, "WLPAR", "500000")
    _lend(uow, borrowed, "1000")
    single = priced_policy(uow, customer, "WLPAR", "100000", mode="single", premium_years=None)
    grace = priced_policy(uow, customer, "WLPAR", "100000", status="grace")
    ulink = unit_linked(uow, customer, {"BOND": "100"})
    for policy, reason in ((borrowed, common.LOAN_OUTSTANDING), (single, "No premiums are left to pay on this policy."),
                           (grace, common.IN_GRACE), (ulink, "This product has no reduced paid-up option: its value is "
                                                             "in its funds.")):
        with pytest.raises(NotPermitted) as error:
            run(uow, who, policy, "reduced_paid_up", {})
        assert error.value.message == reason


def test_a_lower_sum_assured_is_repriced_and_its_value_paid_out(uow, owner):
    customer, who = owner
    policy = priced_policy(uow, customer, "WLPAR", "500000")
    ctx = load_context(uow, policy.id)
    lower = replace(ctx.cover, sum_assured=Decimal("300000"))
    premium = premium_for(lower)
    released = (cash_value_on(ctx.cover, annual_premium(ctx.facts), policy.issue_date, TODAY).cash_value
                - cash_value_on(lower, premium.per_year, policy.issue_date, TODAY).cash_value)
    request = run(uow, who, policy, "sum_assured_reduction", {"sum_assured": "300000", "bank_account": "1"})
    assert (policy.sum_assured, policy.modal_premium) == (Decimal("300000"), premium.modal)
    assert Decimal(outcome(request)["released"]) == released > 0
    assert event(uow, policy, f"payout:{request.reference}")["amount"] == str(released)


@pytest.mark.parametrize(("value", "message"), [
    ("500000", "below the present"), ("600000", "below the present"), ("49999.99", "cannot be below"),
    ("-1", "Enter an amount"), ("0", "greater than zero"), ("100000.001", "Enter an amount"),
])
def test_bad_sums_assured_are_refused(uow, owner, value, message):
    customer, who = owner
    policy = priced_policy(uow, customer, "WLPAR", "500000")
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "sum_assured_reduction", {"sum_assured": value, "bank_account": "1"})
    assert message in error.value.message and error.value.field == "sum_assured"


def test_free_look_refunds_online_payments_through_the_port_and_the_rest_to_the_bank(uow, platform, payments, owner):
    customer, who = owner
    policy = priced_policy(uow, customer, "WLPAR", "100000", issue=date(2026, 11, 15), mode="monthly",
                           paid_to=date(2026, 12, 15))  # the first premium collected by direct debit
    uow.commit()
    started = start_payment(uow, who, [(policy.policy_number, date(2026, 12, 15))], URLS)
    uow.commit()
    payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    deliver_all(platform, payments)
    premium = policy.modal_premium
    request = run(uow, who, policy, "free_look_cancellation", {"bank_account": "1"})
    uow.commit()  # the refund leaves for the provider now
    assert outcome(request)["refunded"] == str(2 * premium) and policy.status == "cancelled"
    assert event(uow, policy, f"payout:{request.reference}")["amount"] == str(premium)
    order = uow.session.scalar(select(PaymentOrder).where(PaymentOrder.reference == started.reference))
    record = uow.session.scalar(select(PaymentRefund).where(PaymentRefund.order_id == order.id))
    assert (record.amount, record.reason, order.status) == (premium, "free_look", "refunded")
    assert payments.store.read("SELECT amount FROM refunds")[0]["amount"] == int(premium * 100)


def test_free_look_window_and_units(uow, owner):
    customer, who = owner
    old = priced_policy(uow, customer, "WLPAR", "100000")
    with pytest.raises(NotPermitted) as error:
        run(uow, who, old, "free_look_cancellation", {"bank_account": "1"})
    assert error.value.params == {"date": "2020-03-16"}
    fresh = unit_linked(uow, customer, {"BOND": "100"}, issue=date(2026, 11, 12))
    run(uow, who, fresh, "free_look_cancellation", {"bank_account": "1"})
    assert fresh.status == "cancelled"
    assert uow.session.scalar(select(FundHolding.units).where(FundHolding.policy_id == fresh.id)) == 0


def test_surrender_pays_the_net_cash_value_and_money_held_and_settles_the_loan(uow, owner):
    customer, who = owner
    policy = priced_policy(uow, customer, "WLPAR", "500000")
    _lend(uow, policy, "20000")
    credit(uow, policy.id, "dividends", "credit", Decimal("1234.56"), TODAY, reference="test-dividend")
    v = load_context(uow, policy.id).valuation
    request = run(uow, who, policy, "surrender", {"bank_account": "1"})
    assert request.status == "applied" and policy.status == "surrendered"
    paid = v.cash_value - v.debt + Decimal("1234.56")
    assert event(uow, policy, f"payout:{request.reference}")["amount"] == str(paid)
    assert balance(uow, policy.id, "dividends") == 0
    loan = uow.session.scalar(select(PolicyLoan).where(PolicyLoan.policy_id == policy.id))
    assert (loan.status, loan.balance, loan.interest_to) == ("repaid", 0, TODAY)
    with pytest.raises(NotPermitted) as error:
        run(uow, who, policy, "policy_loan", {"amount": "1"})
    assert error.value.message in ("This product does not lend against its value.", common.ENDED)


def test_a_large_surrender_waits_for_a_clerk(uow, owner):
    customer, who = owner
    policy = priced_policy(uow, customer, "WLPAR", "2000000")
    request = run(uow, who, policy, "surrender", {"bank_account": "1"})
    assert request.status == "pending_review" and request.review_queue == "clerk" and policy.status == "in_force"
    clerk = principal_of(make_staff(uow, role="clerk").account)
    engine.decide(uow, clerk, request.reference, approve=True, note="called the customer back")
    assert request.status == "applied" and policy.status == "surrendered"
    assert Decimal(event(uow, policy, f"payout:{request.reference}")["amount"]) > 200000


def test_unit_linked_surrender_takes_the_years_charge_and_waits_for_pending_orders(uow, owner):
    customer, who = owner
    policy = unit_linked(uow, customer, {"BOND": "20000", "BAL": "10000"}, issue=date(2024, 3, 1))  # year 3: 3%
    run(uow, who, policy, "fund_switch", {"from_fund": "BAL", "to_fund": "GROW", "percent": "10"})
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "surrender", {"bank_account": "1"})
    assert error.value.params == {"date": "2026-11-30"}
    execute_fund_orders(uow, date(2026, 11, 30))  # 1,000 BAL at 1.90 buy 1,900 GROW at 1.00
    request = run(uow, who, policy, "surrender", {"bank_account": "1"})
    # Valued at today's prices: 20,000 x 1.20 + 9,000 x 2.00 + 1,900 x 0.80 = 43,520.00, less 3%.
    assert outcome(request)["paid"] == "42214.40"
    assert {"label": "Surrender charge", "before": None, "after": "1305.60", "kind": "money"} in json.loads(request.preview)
    assert set(uow.session.scalars(select(FundHolding.units).where(FundHolding.policy_id == policy.id))) == {0}


def _lapsed(uow, customer, *, lapsed_on=date(2025, 5, 1)):
    return priced_policy(uow, customer, "ENDOW", "100000", term_years=20, paid_to=date(2025, 3, 1), status="lapsed",
                         issue=date(2020, 3, 1)), lapsed_on


def test_reinstatement_collects_arrears_with_interest_and_credits_each_due(uow, owner):
    customer, who = owner
    policy, lapsed_on = _lapsed(uow, customer)
    policy.status_date = lapsed_on
    expected = reinstatement_amount(policy.modal_premium, "annual", policy.issue_date, date(2025, 3, 1), TODAY,
                                    Decimal("0.05"), policy.premium_end_date, Decimal(0))
    premium = policy.modal_premium
    interest = (premium * Decimal("0.05") * 636 / 365 + premium * Decimal("0.05") * 271 / 365)
    assert expected == (2 * premium + interest).quantize(Decimal("0.01"))
    request = run(uow, who, policy, "reinstatement", NO)
    assert request.status == "applied" and outcome(request)["collected"] == str(expected)
    assert event(uow, policy, f"collection:{request.reference}")["amount"] == str(expected)
    assert (policy.status, policy.paid_to_date, policy.status_date) == ("in_force", date(2027, 3, 1), TODAY)
    credited = uow.session.execute(select(PremiumPayment.due_date, PremiumPayment.kind).where(
        PremiumPayment.policy_id == policy.id, PremiumPayment.due_date >= date(2025, 3, 1))).all()
    assert sorted(credited) == [(date(2025, 3, 1), "reinstated"), (date(2026, 3, 1), "reinstated")]


def test_a_health_yes_goes_to_an_underwriter_and_the_loan_may_be_repaid(uow, owner):
    customer, who = owner
    policy, lapsed_on = _lapsed(uow, customer)
    policy.status_date = lapsed_on
    _lend(uow, policy, "5000", on=date(2024, 3, 1))
    request = run(uow, who, policy, "reinstatement", {**NO, "health_hospital": "yes", "repay_loan": "yes"})
    assert request.status == "pending_review" and request.review_queue == "underwriter" and policy.status == "lapsed"
    clerk = principal_of(make_staff(uow, role="clerk").account)
    with pytest.raises(NotPermitted):
        engine.decide(uow, clerk, request.reference, approve=True, note="fine")
    underwriter = principal_of(make_staff(uow, role="underwriter").account)
    debt = load_context(uow, policy.id).valuation.debt
    engine.decide(uow, underwriter, request.reference, approve=True, note="discharged, fully recovered")
    assert policy.status == "in_force" and Decimal(outcome(request)["loan_repaid"]) == debt > 5000
    assert uow.session.scalar(select(PolicyLoan.status).where(PolicyLoan.policy_id == policy.id)) == "repaid"


def test_reinstatement_refusals(uow, owner):
    customer, who = owner
    late, _ = _lapsed(uow, customer)
    late.status_date = date(2024, 11, 26)
    with pytest.raises(NotPermitted) as error:
        run(uow, who, late, "reinstatement", NO)
    assert error.value.params == {"date": "2026-11-26"}
    in_force = priced_policy(uow, customer, "WLPAR", "100000")
    with pytest.raises(NotPermitted):
        run(uow, who, in_force, "reinstatement", NO)
    policy, lapsed_on = _lapsed(uow, customer)
    policy.status_date = lapsed_on
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, "reinstatement", {**NO, "health_symptoms": "maybe"})
    assert error.value.field == "health_symptoms"
    ctx = load_context(uow, policy.id)
    assert transaction("reinstatement").eligibility(replace(ctx, open_claim=True)) == common.CLAIM_OPEN
