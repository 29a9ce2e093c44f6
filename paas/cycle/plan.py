"""The day's steps, in the order they run, and why in that order:

 1. fund_orders     - fund trades at the day's prices, first: the day's valuations see them
 2. premium_mode    - premium mode changes take effect (before 3: the notice quotes the new premium)
 3. premium_due     - notices of dues ``notice_days`` ahead (no state change)
 4. grace           - policies whose due passed unpaid enter grace (before 9, so a night caught
                      up late moves a policy through grace and on to lapse in one run)
 5. grace_warning   - warnings ``warning_days`` before the lapse date (no state change)
 6. anniversaries   - dividends, survival benefits, loan interest (before 8 and 9: a policy in
                      grace is still covered on its anniversary)
 7. statements      - the annual premium statement of the policy year ending (after 6, with
                      the same anniversaries and statuses; before 8 and 9: a policy maturing or
                      lapsing tonight still had its year, and is still covered on D)
 8. maturities      - the end of cover (after 6: the last anniversary's loan interest is
                      capitalised before the loan is settled; before 9: maturity beats lapse)
 9. lapse           - grace ended: automatic premium loan or lapse
10. notices         - the night's events become signed notices (after every step that raises one)
11. print_letters   - the mail room's print batch of every letter due on paper (after 10: with
                      the night's letters)
12. payment_orders  - online payments abandoned for an hour are closed
13. claim_reminders - reminders of missing claim documents
14. open_requests   - servicing requests never confirmed end, freeing their policies
15. audit_checkpoint - the audit chain's head signed and stored, last: it covers the night

Steps 2-10 go through the policies in batches; 1 and 11-15 are not per policy and run once
a night, in partition 1 only.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

from paas.cycle.batch import Batch
from paas.cycle.steps import (
    anniversaries,
    audit_checkpoint,
    claim_reminders,
    fund_orders,
    grace,
    grace_warning,
    lapse,
    maturities,
    notices,
    open_requests,
    payment_orders,
    premium_due,
    print_letters,
    premium_mode,
    statements,
)

if TYPE_CHECKING:
    from paas.platform import Platform


@dataclass(frozen=True)
class Step:
    name: str
    # Per policy: one batch in its transaction, returning the policies touched. Once a night:
    # the whole task, returning what it did.
    run: Callable[[Batch], int] | Callable[["Platform", date], int]
    per_policy: bool
    applies: Callable[["Platform"], bool]  # e.g. closing payments needs a payment provider


def _step(module: ModuleType, per_policy: bool) -> Step:
    return Step(module.NAME, module.run, per_policy, getattr(module, "applies", lambda _platform: True))


STEPS = (
    _step(fund_orders, False), _step(premium_mode, True), _step(premium_due, True), _step(grace, True),
    _step(grace_warning, True), _step(anniversaries, True), _step(statements, True), _step(maturities, True),
    _step(lapse, True), _step(notices, True), _step(print_letters, False), _step(payment_orders, False),
    _step(claim_reminders, False), _step(open_requests, False), _step(audit_checkpoint, False),
)
STEP_NAMES = tuple(step.name for step in STEPS)
