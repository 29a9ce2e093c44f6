"""When a generated policy was issued and where it stands today: its status, the date that
status began, how many dues were paid and the paid-to date - all consistent with each other
and with the seed's today (a policy in grace is less than GRACE_DAYS past its due date, a
lapsed one more, a surrendered one at least two years old, ...)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.demo.bulk.cover import MAX_ISSUE_AGE, Cover
from paas.policies.schedule import add_months, months_between
from paas.policies.terms import GRACE_DAYS, lapse_date
from portal.demo.bulk.people import People
from portal.demo.bulk.vocabulary import weighted_table

# Target status mix before nature takes its course (an endowment whose term has run out is matured).
STATUS_WEIGHTS = (("in_force", 820), ("grace", 40), ("lapsed", 60), ("paid_up", 30), ("surrendered", 50))
STATUS_TABLE = weighted_table(STATUS_WEIGHTS)
# Fallen behind with the premiums: the only statuses a due date decides.
_BEHIND = ("grace", "lapsed", "paid_up")
# What each way of getting there finds: (issue, status date, dues paid, paid-to date or None
# when it follows from the dues paid).
_Found = tuple[date, date, int, date | None]


@dataclass(slots=True)
class Lifecycle:
    status: str
    issue: date
    status_date: date  # when the status began
    paid: int  # dues paid; due k falls on add_months(issue, k * step), k = 0 .. dues - 1
    paid_to: date
    premium_end: date
    expiry: date | None  # end of cover; None: whole life


def issue_window(
    people: People, owner: int, insured: int, code: str, today: date, oldest_issue: date
) -> tuple[int, date, date, date]:
    """(insured, the insured's birth date, earliest and latest issue date): not before
    ``oldest_issue``, the owner an adult, the insured born and not older than the product
    allows. When no day fits (a young owner and an old relative) the owner insures himself."""
    owner_adult = add_months(date.fromordinal(people.born[owner]), 12 * 18)
    while True:
        insured_born = date.fromordinal(people.born[insured])
        earliest = max(oldest_issue, owner_adult, insured_born + timedelta(days=30))
        too_old = add_months(insured_born, 12 * (MAX_ISSUE_AGE[code] + 1))
        latest = min(today, too_old) - timedelta(days=1)
        if earliest <= latest or insured == owner:
            return insured, insured_born, earliest, latest
        insured = owner


def choose_lifecycle(
    r: Callable[[], float], status: str, cover: Cover, earliest: date, latest: date, today: date
) -> Lifecycle:
    """The target ``status`` when the window allows it, otherwise in force."""
    found = None
    if status in _BEHIND and not cover.single:
        found = _behind(r, status, cover, earliest, latest, today)
    elif status == "surrendered":
        found = _surrendered(r, cover, earliest, latest, today)
    if found is None:
        status, found = "in_force", _in_force(r, cover, earliest, latest, today)
    issue, status_date, paid, paid_to = found
    premium_end = add_months(issue, 12 * (1 if cover.single else cover.pay))
    expiry = add_months(issue, 12 * cover.term) if cover.term else None
    if paid_to is None:
        paid_to = premium_end if paid >= cover.dues else add_months(issue, paid * cover.step)
    if status in ("in_force", "paid_up") and expiry is not None and expiry <= today:
        status, status_date = "matured", expiry
    return Lifecycle(status, issue, status_date, paid, paid_to, premium_end, expiry)


def _pick_day(r: Callable[[], float], first: int, last: int) -> date:
    """A day from ``first`` to ``last`` (ordinals), both included."""
    return date.fromordinal(first + int(r() * (last - first + 1)))


def _behind(
    r: Callable[[], float], status: str, cover: Cover, earliest: date, latest: date, today: date
) -> _Found | None:
    """A policy in grace (its first unpaid due less than GRACE_DAYS ago), lapsed or paid-up
    (GRACE_DAYS after the first unpaid due), or None if the window does not allow it."""
    step, today_ord = cover.step, today.toordinal()
    # about when the first unpaid premium fell due; then how many dues were paid before it
    if status == "grace":
        target = today - timedelta(days=1 + int(r() * (GRACE_DAYS - 1)))
        min_k = 1
    else:
        span_days = (today_ord - GRACE_DAYS - 1) - (earliest.toordinal() + 31 * step)
        target = date.fromordinal(earliest.toordinal() + 31 * step + int(r() * max(span_days, 0)))
        min_k = 1 if status == "lapsed" else -(-24 // step)  # paid-up: two years paid at least
    max_k = min(months_between(earliest, target) // step, cover.dues - 1)
    if max_k < min_k:
        return None
    # lapses come more often in the first years
    k = min_k + int((r() ** 2 if status != "grace" else r()) * (max_k - min_k + 1))
    issue = add_months(target, -k * step)
    if issue < earliest or issue > latest:
        return None
    due = add_months(issue, k * step)  # the first unpaid due
    if status == "grace":
        ok = today_ord - GRACE_DAYS <= due.toordinal() < today_ord
        status_date = due
    else:
        status_date = lapse_date(due)  # the engine's rule: the day after the grace period
        ok = status_date.toordinal() < today_ord
    expiry = add_months(issue, 12 * cover.term) if cover.term else None
    if not ok or (expiry is not None and expiry <= (due if status == "grace" else status_date)):
        return None
    return issue, status_date, k, due


def _surrendered(r: Callable[[], float], cover: Cover, earliest: date, latest: date, today: date) -> _Found | None:
    """A policy surrendered after two years at least and before its cover ended, or None if
    the window does not allow it."""
    latest_issue = add_months(today, -24)
    if earliest > latest_issue:
        return None
    issue = _pick_day(r, earliest.toordinal(), min(latest, latest_issue).toordinal())
    expiry = add_months(issue, 12 * cover.term) if cover.term else None
    last_day = min(today.toordinal() - 1, expiry.toordinal() - 1) if expiry else today.toordinal() - 1
    first_day = add_months(issue, 24).toordinal()
    if first_day > last_day:
        return None
    surrendered_on = _pick_day(r, first_day, last_day)
    if cover.single:
        return issue, surrendered_on, 1, None
    # every due before the surrender was paid
    step = cover.step
    paid = min(-(-months_between(issue, surrendered_on) // step), cover.dues)
    while paid < cover.dues and add_months(issue, paid * step) < surrendered_on:
        paid += 1
    return issue, surrendered_on, paid, None


def _in_force(r: Callable[[], float], cover: Cover, earliest: date, latest: date, today: date) -> _Found:
    """A policy in force since its issue date, every due up to today paid."""
    issue = _pick_day(r, earliest.toordinal(), latest.toordinal())
    if cover.single:
        return issue, issue, 1, None
    k = months_between(issue, today) // cover.step
    if add_months(issue, k * cover.step) < today:
        k += 1
    return issue, issue, min(max(k, 1), cover.dues), None
