"""Which notice an event becomes, and its data: one builder per event kind whose registry entry
names a notice type. A builder reads only the event and the facts loaded with it in one query
(``EventFacts``: the policy, its product, its owner), so the cycle's hundred thousand events a
night become notices without a look-up each. A builder may return None: nothing to tell (a
claim withdrawn by the claimant; a payment after a hold whose approval was already told)."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from paas.i18n import supported
from paas.policies.deadlines import reinstatable_until
from paas.policies.terms import FREE_LOOK_DAYS, grace_ends


class EventFacts(NamedTuple):
    """A row of the facts query as it comes (a tuple: nothing to build per event, a hundred
    thousand a night)."""

    event_id: int
    kind: str
    reference: str
    on: date
    detail: str  # the event's JSON
    policy_id: int
    policy_number: str
    sum_assured: Decimal
    modal_premium: Decimal
    premium_mode: str
    issue_date: date
    product_zh: str
    product_en: str
    customer_id: int
    customer_name: str
    locale: str | None

    @property
    def data(self) -> dict:  # parsed at each reading: a builder reads it once
        return json.loads(self.detail)


Built = dict | None  # the notice's fields, or None: no notice
BUILDERS: dict[str, Callable[[EventFacts], Built]] = {}


def builds(kind: str):
    def register(function: Callable[[EventFacts], Built]):
        BUILDERS[kind] = function
        return function
    return register


def _day(text: str) -> date:
    return date.fromisoformat(text)


@builds("policy_issued")
def _policy_issued(e: EventFacts) -> Built:
    english = supported(e.locale) == "en"
    return {"product": e.product_en if english else e.product_zh, "sum_assured": e.sum_assured,
            "premium": e.modal_premium, "premium_mode": e.premium_mode, "effective_date": e.issue_date,
            "free_look_end": e.issue_date + timedelta(days=FREE_LOOK_DAYS)}


@builds("premium_due")
def _premium_due(e: EventFacts) -> Built:
    data = e.data
    due = _day(data["due_date"])
    return {"amount": data["amount"], "due_date": due, "grace_end": grace_ends(due)}


@builds("premium_received")
def _premium_received(e: EventFacts) -> Built:
    data = e.data
    return {"amount": data["amount"], "paid_on": e.on, "due_date": data["due_date"], "receipt_number": data["reference"]}


@builds("grace_warning")
def _grace_warning(e: EventFacts) -> Built:
    data = e.data
    return {"amount": data["amount"], "due_date": data["due_date"], "grace_end": grace_ends(_day(data["due_date"]))}


@builds("lapsed")
def _lapsed(e: EventFacts) -> Built:
    data = e.data
    lapsed_on = _day(data["lapsed_on"])
    return {"lapsed_on": lapsed_on, "unpaid_amount": data["amount"], "reinstate_by": reinstatable_until(lapsed_on)}


@builds("survival_benefit")
def _survival_benefit(e: EventFacts) -> Built:
    return {"amount": e.data["amount"], "due_date": e.on}


@builds("dividend_declared")
def _dividend(e: EventFacts) -> Built:
    data = e.data
    return {"policy_year": data["policy_year"], "amount": data["amount"], "declared_on": e.on, "option": data["option"]}


@builds("annual_statement")
def _annual_statement(e: EventFacts) -> Built:
    return e.data


@builds("endorsement")
def _endorsement(e: EventFacts) -> Built:
    from paas.servicing.registry import transaction  # the servicing kinds' labels; loaded only when needed

    data = e.data
    outcome = data.get("outcome") or {}
    amount = outcome.get("amount") if isinstance(outcome, dict) else None
    fields = {"reference": e.reference, "change": transaction(data["kind"]).label, "effective_date": e.on}
    if isinstance(amount, str) and amount.replace(".", "", 1).isdigit():
        fields["amount"] = amount
    return fields


CLAIM_DECISIONS = {"approved": "approved", "paid": "approved", "declined": "declined"}


@builds("claim_decision")
def _claim_decision(e: EventFacts) -> Built:
    data = e.data
    decision = CLAIM_DECISIONS.get(data["status"])
    if decision is None or data.get("after_hold"):  # the approval was told when the hold began
        return None
    fields = {"reference": e.reference, "decision": decision, "decided_on": e.on}
    if data.get("amount"):
        fields["amount"] = data["amount"]
    if data.get("reason"):
        fields["reason"] = data["reason"][:200]
    return fields


@builds("loan_interest")
def _loan_interest(e: EventFacts) -> Built:
    data = e.data
    return {"reason": "interest_due", "loan_balance": data["balance"], "interest": data["interest"],
            "cash_value": data["cash_value"], "due_date": e.on}


@builds("loan_near_limit")
def _loan_near_limit(e: EventFacts) -> Built:
    data = e.data
    return {"reason": "near_cash_value", "loan_balance": data["debt"], "interest": data["interest"],
            "cash_value": data["cash_value"], "due_date": e.on}
