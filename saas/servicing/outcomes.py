"""What applying a request did, in words: each outcome key has a label and a type, so every
kind's outcome reads as a sentence in the reader's language ("Name corrected", "Loan repaid
¥5,000.00"), never as the raw JSON the engine records ("name True")."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from paas.errors import N_
from paas.policies.terms import STATUS_LABELS
from paas.servicing.fund_proceeds import PAID_AFTER_SALE
from paas.servicing.registry import all_transactions
from saas.i18n import day, gettext, money, percent

# A yes/no (or "changed") outcome: said as what was done, left out when nothing was.
DONE = {
    "name": N_("Name corrected"),
    "id_number": N_("ID number corrected"),
    "address": N_("Address changed"),
    "mobile": N_("Mobile number changed"),
    "email": N_("E-mail address changed"),
    "reissued": N_("Policy document re-issued"),
    "closed": N_("Loan repaid in full"),
}
HELD_ACCOUNTS = {"dividends": N_("Accumulated dividends"), "survival_benefits": N_("Survival benefits held")}


def _money(value: Any) -> str:
    return money(Decimal(str(value)))


def _date(value: Any) -> str:
    return day(date.fromisoformat(str(value)))


def _dates(value: Any) -> str:
    return ", ".join(_date(v) for v in value)


def _by_code(value: Any) -> str:
    # Fund codes and payment references are the same in every language.
    return ", ".join(f"{code} {_money(amount)}" for code, amount in dict(value).items())


def _held(value: Any) -> str:
    return ", ".join(f"{gettext(HELD_ACCOUNTS.get(a, a))} {_money(v)}" for a, v in dict(value).items())


def _shares(value: Any) -> str:
    return ", ".join(f"{code} {percent(Decimal(str(share)))}" for code, share in dict(value).items())


def _rate(value: Any) -> str:
    return percent((Decimal(str(value)) * 100).quantize(Decimal("0.01")))


def _status(value: Any) -> str:
    return gettext(STATUS_LABELS.get(str(value), str(value)))


def _account(value: Any) -> str:
    return gettext(HELD_ACCOUNTS.get(str(value), str(value)))


def _position(value: Any) -> str:
    return gettext("Account no. %(position)s on file", position=value)


def _plain(value: Any) -> str:
    return str(value)


# key -> (label, how its value is written)
FIELDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "beneficiaries": (N_("Beneficiaries on file"), _plain),
    "refunded": (N_("Refunded"), _money),
    "online": (N_("Refunded to the card or account paid with"), _by_code),
    "other": (N_("Refunded by bank transfer"), _money),
    "status": (N_("Policy status"), _status),
    "allocation": (N_("Future premium allocation"), _shares),
    "from_fund": (N_("From fund"), _plain),
    "to_fund": (N_("To fund"), _plain),
    "units": (N_("Units"), _plain),
    "trade_date": (N_("Trade date"), _date),
    "repaid": (N_("Repaid"), _money),
    "interest": (N_("Interest"), _money),
    "principal": (N_("Loan principal repaid"), _money),
    "loan_balance": (N_("Loan balance"), _money),
    "amount": (N_("Amount"), _money),
    "charge": (N_("Surrender charge"), _money),
    "funds": (N_("By fund"), _by_code),
    "bank_account": (N_("Bank account"), _position),
    "paid": (N_("Paid to you"), _money),
    "lent": (N_("Lent"), _money),
    "rate": (N_("Loan interest rate"), _rate),
    "from": (N_("Effective from"), _date),
    "premium": (N_("Premium"), _money),
    "paid_up_sum_assured": (N_("Reduced paid-up sum assured"), _money),
    "collected": (N_("Collected"), _money),
    "dues": (N_("Premiums collected for"), _dates),
    "loan_repaid": (N_("Loan repaid"), _money),
    "paid_to": (N_("Paid to"), _date),
    "sum_assured": (N_("Sum assured"), _money),
    "released": (N_("Cash value released"), _money),
    "cash_value": (N_("Cash value"), _money),
    "loan_settled": (N_("Loan repaid from it"), _money),
    "held": (N_("Dividends and survival benefits held"), _held),
    "withdrawn": (N_("Withdrawn"), _money),
    "account": (N_("Withdrawn from"), _account),
}


def _choice_labels(kind: str) -> dict[str, tuple[str, dict[str, str]]]:
    """A choice the customer made (payment method, dividend option...) is said with the
    words of the form it was made on."""
    txn = next((t for t in all_transactions() if t.kind == kind), None)
    return {f.name: (f.label, dict(f.choices)) for f in (txn.fields if txn else ()) if f.choices}


def outcome_lines(kind: str, outcome: dict | None) -> list[tuple[str, str]]:
    """(label, value) pairs in the reader's language; a "done" line has an empty value."""
    choices = _choice_labels(kind)
    lines = []
    for key, value in (outcome or {}).items():
        if key in DONE:
            if value:
                lines.append((gettext(DONE[key]), ""))
        elif key in choices:
            label, words = choices[key]
            lines.append((gettext(label), gettext(words.get(str(value), str(value)))))
        elif key == "paid" and value == PAID_AFTER_SALE:
            lines.append((gettext("Paid to you"), gettext("when the units are sold")))
        elif key in FIELDS:
            label, write = FIELDS[key]
            try:
                lines.append((gettext(label), write(value)))
            except (InvalidOperation, ValueError, TypeError, AttributeError):
                lines.append((gettext(label), str(value)))
        else:
            lines.append((gettext("Other"), str(value)))
    return lines
