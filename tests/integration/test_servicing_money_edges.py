"""Every money transaction against the same edges: another customer's policy is not found,
a pending claim, an ended, lapsed or overdue policy each gets its own reason, and a typed
amount that is negative, zero, too precise or above the maximum is refused with a message
naming the field."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pyotp
import pytest

from paas.errors import InvalidInput, NotFound
from paas.loans.models import PolicyLoan
from paas.security.sessions import principal_of
from paas.servicing import engine
from paas.servicing.context import load_context
from paas.servicing.kinds import common, reinstatement
from paas.servicing.registry import transaction
from tests.factories import make_staff
from tests.integration.servicing_money_support import holder, priced_policy, run, unit_linked


def _whole_life(uow, customer):
    return priced_policy(uow, customer, "WLPAR", "500000")


def _borrowed(uow, customer):
    policy = _whole_life(uow, customer)
    uow.session.add(PolicyLoan(policy_id=policy.id, principal=Decimal("1000"), interest_rate=Decimal("0.05"),
                               taken_on=date(2026, 1, 1), interest_to=date(2026, 1, 1), balance=Decimal("1000"),
                               status="open", created_at=uow.clock.now()))
    uow.session.flush()
    return policy


def _ulink(uow, customer):
    return unit_linked(uow, customer, {"BOND": "20000", "BAL": "10000"})


def _lapsed(uow, customer):
    policy = priced_policy(uow, customer, "ENDOW", "100000", term_years=20, paid_to=date(2025, 3, 1), status="lapsed")
    policy.status_date = date(2025, 5, 1)
    return policy


def _fresh(uow, customer):
    return priced_policy(uow, customer, "WLPAR", "100000", issue=date(2026, 11, 20))


ELIGIBLE = {
    "policy_loan": _whole_life, "loan_repayment": _borrowed, "top_up": _ulink, "partial_withdrawal": _ulink,
    "fund_switch": _ulink, "fund_allocation": _ulink, "sum_assured_reduction": _whole_life,
    "reduced_paid_up": _whole_life, "reinstatement": _lapsed, "free_look_cancellation": _fresh, "surrender": _whole_life,
}
# Kinds that still serve a policy whose premium is overdue, or one that has lapsed.
IN_GRACE_TOO = {"loan_repayment", "fund_switch", "fund_allocation", "free_look_cancellation", "surrender"}
LAPSED_TOO = {"reinstatement", "surrender"}


@pytest.fixture
def owner(uow):
    return holder(uow)


@pytest.mark.parametrize("kind", sorted(ELIGIBLE))
def test_each_is_available_on_its_policy_and_not_on_anothers(uow, owner, kind):
    customer, _ = owner
    policy = ELIGIBLE[kind](uow, customer)
    ctx = load_context(uow, policy.id)
    assert transaction(kind).eligibility(ctx) is None
    assert transaction(kind).eligibility(replace(ctx, open_claim=True)) == common.CLAIM_OPEN
    _, stranger = holder(uow)
    with pytest.raises(NotFound) as error:
        run(uow, stranger, policy, kind, {"amount": "100", "bank_account": "1"})
    assert error.value.params == {"number": policy.policy_number}


@pytest.mark.parametrize("kind", sorted(ELIGIBLE))
@pytest.mark.parametrize("status", ["matured", "surrendered", "cancelled", "terminated", "lapsed", "grace"])
def test_each_says_why_not_for_a_policy_in_another_state(uow, owner, kind, status):
    customer, _ = owner
    policy = ELIGIBLE[kind](uow, customer)
    policy.status, policy.status_date = status, uow.clock.today()  # lapsed today: reinstating is still open
    reason = transaction(kind).eligibility(load_context(uow, policy.id))
    if status == "grace" and kind in IN_GRACE_TOO or status == "lapsed" and kind in LAPSED_TOO:
        assert reason is None
    elif status == "grace":
        assert reason == (reinstatement.PAY_INSTEAD if kind == "reinstatement" else common.IN_GRACE)
    elif status == "lapsed":
        assert reason == common.LAPSED_NOW
    else:
        assert reason == common.ENDED


AMOUNT_FIELDS = {"policy_loan": "amount", "loan_repayment": "amount", "top_up": "amount",
                 "partial_withdrawal": "amount", "sum_assured_reduction": "sum_assured"}


@pytest.mark.parametrize("kind", sorted(AMOUNT_FIELDS))
@pytest.mark.parametrize(("typed", "message"), [
    ("-5", "Enter an amount in yuan with at most two decimals"), ("0", "The amount must be greater than zero."),
    ("0.00", "The amount must be greater than zero."), ("12.345", "Enter an amount in yuan with at most two decimals"),
    ("1e3", "Enter an amount in yuan with at most two decimals"), ("99999999", None),
])
def test_bad_amounts_are_refused_with_a_message_on_the_field(uow, owner, kind, typed, message):
    customer, who = owner
    policy = ELIGIBLE[kind](uow, customer)
    field = AMOUNT_FIELDS[kind]
    with pytest.raises(InvalidInput) as error:
        run(uow, who, policy, kind, {field: typed, "source": "bank_debit", "bank_account": "1"})
    assert error.value.field == field
    if message is not None:
        assert error.value.message.startswith(message)
    else:  # above the maximum: the message says what the most is
        assert error.value.params and ("maximum" in error.value.params or "current" in error.value.params)


def test_a_clerk_acting_for_the_customer_confirms_with_their_authenticator(uow, owner):
    customer, _ = owner
    policy = _whole_life(uow, customer)
    staff = make_staff(uow, role="clerk")
    clerk = principal_of(staff.account)
    request = engine.start(uow, clerk, policy.policy_number, "policy_loan", {"amount": "1000", "bank_account": "1"},
                           channel="console", idempotency_key="clerk-loan")
    assert (request.step_up, request.on_behalf, request.status) == ("totp", True, "awaiting_code")
    engine.confirm(uow, clerk, request.reference, pyotp.TOTP(staff.totp_secret).at(uow.clock.now()))
    assert request.status == "applied"
