"""Which premiums a payment may cover: the customer's own open dues, and of each policy the
oldest ones, in order (a premium is credited only when every earlier one is)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from paas.billing.dues import Due, open_dues
from paas.billing.review import refuse_if_in_review
from paas.errors import N_, InvalidInput

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

MAX_DUES_PER_PAYMENT = 24


def chosen_dues(uow: "UnitOfWork", customer_id: int, selections: Iterable[tuple[str, date]]) -> list[Due]:
    dues = open_dues(uow, customer_id)
    by_key = {(due.policy_number, due.due_date): due for due in dues}
    wanted = set(selections)
    if not wanted:
        raise InvalidInput(N_("Choose at least one premium to pay."), field="due")
    if len(wanted) > MAX_DUES_PER_PAYMENT:
        raise InvalidInput(N_("Pay at most %(count)s premiums at a time."), field="due", count=MAX_DUES_PER_PAYMENT)
    for policy_number, due_date in sorted(wanted):
        if (policy_number, due_date) not in by_key:  # also what another customer's policy looks like
            raise InvalidInput(N_("The premium of policy %(policy)s due %(date)s is not open for payment."),
                               field="due", policy=policy_number, date=due_date.isoformat())
    chosen = [due for due in dues if (due.policy_number, due.due_date) in wanted]
    for due in chosen:
        refuse_if_in_review(due)
    for policy_number in {due.policy_number for due in chosen}:
        of_policy = [due for due in dues if due.policy_number == policy_number]
        picked = [due for due in of_policy if (due.policy_number, due.due_date) in wanted]
        skipped = [due for due in of_policy[:len(picked)] if due not in picked]
        if skipped:
            refuse_if_in_review(skipped[0])  # a later premium waits for the one being checked
            raise InvalidInput(N_("Pay the premiums of policy %(policy)s oldest first: %(date)s comes before the ones you chose."),
                               field="due", policy=policy_number, date=skipped[0].due_date.isoformat())
    return sorted(chosen, key=lambda due: (due.policy_id, due.due_date))
