"""The last day a lapsed policy can be reinstated. (The grace period's end and the lapse date
are in ``paas.policies.terms``.) Pages and rules ask here rather than add the years again."""
from __future__ import annotations

from datetime import date

from paas.policies.schedule import add_months
from paas.policies.terms import REINSTATEMENT_YEARS


def reinstatable_until(lapsed_on: date) -> date:
    """REINSTATEMENT_YEARS after the lapse."""
    return add_months(lapsed_on, 12 * REINSTATEMENT_YEARS)
