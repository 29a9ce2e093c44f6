"""Showing what confirming a request came to (``paas.servicing.confirmation``): the same
words and the same HTTP status on the web, in the console and through the API."""
from __future__ import annotations

from saas.i18n import gettext

from paas.servicing.confirmation import (CODE_EXPIRED, CONFIRMED, ENDED, EXPIRED, LOCKED, WRONG_CODE, WRONG_CONTACT_CODE,
                                         Confirmation)

# Locked: no more tries (as for sign-in); expired or ended: the request is gone, not the input wrong.
STATUS = {CONFIRMED: 200, WRONG_CODE: 422, WRONG_CONTACT_CODE: 422, CODE_EXPIRED: 422, LOCKED: 429, EXPIRED: 409, ENDED: 409}


def outcome_text(outcome: Confirmation) -> str | None:
    """The outcome's message in the user's language; None when it was confirmed."""
    return gettext(outcome.message, **outcome.params) if outcome.message else None


def outcome_status(outcome: Confirmation) -> int:
    return STATUS[outcome.result]
