from __future__ import annotations

from datetime import date

from saas.csrf import PageForm
from wtforms import StringField


class PayForm(PageForm):
    """The dues come as repeated ``due`` fields, each "<policy number>:<YYYY-MM-DD>"."""


class CancelPaymentForm(PageForm):
    pass


class SandboxCardForm(PageForm):
    card_number = StringField()
    expiry = StringField()
    cvc = StringField()


def due_value(policy_number: str, due_date: date) -> str:
    return f"{policy_number}:{due_date.isoformat()}"


def parse_due(value: str) -> tuple[str, date] | None:
    policy_number, _, day = (value or "").partition(":")
    try:
        return policy_number.strip()[:32], date.fromisoformat(day.strip())
    except ValueError:
        return None
