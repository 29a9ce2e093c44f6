"""The two deadlines of a policy whose premium went unpaid: the end of its grace period
(cover continues, unpaid, until then; it lapses the day after) and the end of the time a
lapsed policy can be reinstated. Pages and rules ask here rather than add the days again."""
from __future__ import annotations

from datetime import date, timedelta

from paas.policies.schedule import add_months
from paas.policies.terms import GRACE_DAYS, REINSTATEMENT_YEARS


def grace_ends(unpaid_due: date) -> date:
    """The last day of cover for a premium due on ``unpaid_due`` that was not paid."""
    return unpaid_due + timedelta(days=GRACE_DAYS)


def reinstatable_until(lapsed_on: date) -> date:
    return add_months(lapsed_on, 12 * REINSTATEMENT_YEARS)
