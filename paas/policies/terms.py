"""The vocabulary of a policy's life: statuses and premium modes."""
from __future__ import annotations

from datetime import date, timedelta

from paas.errors import N_

IN_FORCE = "in_force"
GRACE = "grace"
LAPSED = "lapsed"
PAID_UP = "paid_up"
MATURED = "matured"
SURRENDERED = "surrendered"
EXPIRED = "expired"  # the term ended with nothing to pay
TERMINATED = "terminated"  # ended by a claim
CANCELLED = "cancelled"  # free-look cancellation

STATUS_LABELS = {
    IN_FORCE: N_("In force"),
    GRACE: N_("In grace period"),
    LAPSED: N_("Lapsed"),
    PAID_UP: N_("Paid up"),
    MATURED: N_("Matured"),
    EXPIRED: N_("Cover ended"),
    SURRENDERED: N_("Surrendered"),
    TERMINATED: N_("Terminated"),
    CANCELLED: N_("Cancelled"),
}
# Cover continues in these; the asset sheet counts their sums assured.
COVER_STATUSES = frozenset({IN_FORCE, GRACE, PAID_UP})
# Premiums fall due in these.
PREMIUM_STATUSES = frozenset({IN_FORCE, GRACE})

ANNUAL = "annual"
SEMI_ANNUAL = "semi_annual"
QUARTERLY = "quarterly"
MONTHLY = "monthly"
SINGLE = "single"

PAYMENTS_PER_YEAR = {ANNUAL: 1, SEMI_ANNUAL: 2, QUARTERLY: 4, MONTHLY: 12, SINGLE: 0}
MODE_LABELS = {
    ANNUAL: N_("Annual"),
    SEMI_ANNUAL: N_("Semi-annual"),
    QUARTERLY: N_("Quarterly"),
    MONTHLY: N_("Monthly"),
    SINGLE: N_("Single premium"),
}

RELATIONSHIP_LABELS = {
    "self": N_("Self"),
    "spouse": N_("Spouse"),
    "child": N_("Child"),
    "parent": N_("Parent"),
    "sibling": N_("Sibling"),
    "other": N_("Other"),
}


GRACE_DAYS = 60  # after a due date, cover continues unpaid for this long
REINSTATEMENT_YEARS = 2  # a lapsed policy can be brought back within this long
FREE_LOOK_DAYS = 15  # from issue, a policy can be cancelled with every premium refunded
LAPSES_AFTER_DAYS = GRACE_DAYS + 1  # an unpaid premium lapses the policy the day after its grace


def grace_ends(due: date) -> date:
    """The last day of grace of a premium due on ``due``: cover continues until it passes."""
    return due + timedelta(days=GRACE_DAYS)


def lapse_date(due: date) -> date:
    """The day a policy lapses when its premium due on ``due`` is still unpaid (the day after
    the grace period). The one statement of the rule: dues, the cycle and the pages ask it."""
    return due + timedelta(days=LAPSES_AFTER_DAYS)


def due_lapsing_on(day: date) -> date:
    """``lapse_date`` turned round: the due date whose unpaid premium lapses a policy on ``day``."""
    return day - timedelta(days=LAPSES_AFTER_DAYS)


def next_due_date(status: str, mode: str, paid_to: date, premium_end: date | None) -> date | None:
    """Premiums are paid up to ``paid_to``; the next one falls due then, if any remain."""
    if status not in PREMIUM_STATUSES or mode == SINGLE:
        return None
    if premium_end is not None and paid_to >= premium_end:
        return None
    return paid_to
