"""Preview values, typed by kind, written in the reader's language and format."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from paas.errors import N_
from paas.servicing.base import NONE, Transaction
from saas.i18n import day, gettext, money, percent, shown_params

CONTINUE = N_("Continue")  # a code is asked for next
SUBMIT_FOR_REVIEW = N_("Submit for review")
CONFIRM_CHANGE = N_("Confirm the change")  # nothing follows: the change applies at once


def preview_value(value: Any, kind: str = "text") -> str:
    if value is None or value == "":
        return "—"
    try:
        if kind == "money":
            return money(Decimal(str(value)))
        if kind == "percent":
            return percent(Decimal(str(value)))
        if kind == "date":
            return day(value if isinstance(value, date) else date.fromisoformat(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
    if kind == "label":
        return gettext(str(value))
    if kind == "bool":
        return gettext("Yes") if value else gettext("No")
    return str(value)


def reason_text(reason: str, params: dict) -> str:
    """Why a service is not available; a policy status in it is shown by its label."""
    return gettext(reason, **shown_params(params))


def duration(value) -> str:
    """A turnaround: "3 d 4 h", "2 h 5 min", "4 min 10 s" or "12 s"."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return gettext("%(days)s d %(hours)s h", days=days, hours=hours)
    if hours:
        return gettext("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
    if minutes:
        return gettext("%(minutes)s min %(seconds)s s", minutes=minutes, seconds=seconds)
    return gettext("%(seconds)s s", seconds=seconds)


def submit_label(txn: Transaction) -> str:
    """What a service form's button does: go on to the code, send the request to a colleague,
    or make the change there and then ("Continue" on a change that applies at once misled)."""
    if txn.step_up != NONE:
        return CONTINUE
    if type(txn).route is not Transaction.route:
        return SUBMIT_FOR_REVIEW
    return CONFIRM_CHANGE
