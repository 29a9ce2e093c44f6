from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import StringField


class PayForm(FlaskForm):
    """The dues come as repeated ``due`` fields, each "<policy number>:<YYYY-MM-DD>"."""


class CancelPaymentForm(FlaskForm):
    pass


class SandboxCardForm(FlaskForm):
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
