"""What a person types for an external account, and the checks it must pass. Pure: the
limits live here so the web form, the API and their messages agree."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from paas.errors import N_, InvalidInput
from paas.field_checks import FieldChecks

KIND_LABELS = {
    "bank": N_("Bank deposits"),
    "securities": N_("Securities"),
    "fund": N_("Funds"),
    "pension": N_("Pension"),
    "other": N_("Other"),
}
NAME_MAX = 60
INSTITUTION_MAX = 60
BALANCE_MAX = Decimal("999999999999.99")
EARLIEST_AS_OF = date(1990, 1, 1)
ACCOUNTS_MAX = 30

_BALANCE_TEXT = re.compile(r"^(-?)([0-9]+)(?:\.([0-9]+))?$")
_DATE_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class AccountEntry:
    name: str = ""
    kind: str = ""
    institution: str = ""
    balance: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class CheckedEntry:
    name: str
    kind: str
    institution: str | None
    balance: Decimal
    as_of: date


def check_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not 1 <= len(name) <= NAME_MAX:
        raise InvalidInput(N_("Give the account a name of 1 to %(max)s characters."), field="name", max=NAME_MAX)
    return name


def check_kind(text: str) -> str:
    kind = (text or "").strip().lower()
    if kind not in KIND_LABELS:
        raise InvalidInput(N_("Choose the type of account: bank, securities, fund, pension or other."), field="kind")
    return kind


def check_institution(text: str | None) -> str | None:
    institution = " ".join((text or "").split())
    if len(institution) > INSTITUTION_MAX:
        raise InvalidInput(
            N_("Keep the institution's name to at most %(max)s characters."), field="institution", max=INSTITUTION_MAX
        )
    return institution or None


def check_balance(text: str) -> Decimal:
    """Like ``paas.money.parse_amount``, but a balance may be zero (an emptied account)."""
    cleaned = (text or "").strip().replace(",", "")[:40]
    match = _BALANCE_TEXT.match(cleaned)
    if match is None:
        raise InvalidInput(N_("Enter the balance in yuan, e.g. 25000.50."), field="balance")
    sign, _whole, decimals = match.groups()
    if sign:
        raise InvalidInput(N_("The balance cannot be negative."), field="balance")
    if decimals is not None and len(decimals) > 2:
        raise InvalidInput(N_("Enter the balance with at most two decimals (to the fen)."), field="balance")
    value = Decimal(cleaned)
    if value > BALANCE_MAX:
        raise InvalidInput(N_("The balance can be at most %(max)s yuan."), field="balance", max=f"{BALANCE_MAX:,}")
    return value.quantize(Decimal("0.01"))


def check_as_of(text: str, today: date) -> date:
    cleaned = (text or "").strip()
    try:
        value = date.fromisoformat(cleaned) if _DATE_TEXT.match(cleaned) else None
    except ValueError:
        value = None
    if value is None:
        raise InvalidInput(N_("Enter the as-of date as a real date, YYYY-MM-DD."), field="as_of")
    if value > today:
        raise InvalidInput(N_("The as-of date cannot be in the future."), field="as_of")
    if value < EARLIEST_AS_OF:
        raise InvalidInput(N_("The as-of date cannot be before %(min)s."), field="as_of", min=EARLIEST_AS_OF.isoformat())
    return value


def check_entry(entry: AccountEntry, today: date) -> CheckedEntry:
    """Every field checked, all faults reported at once, in the order the form shows them."""
    checks = FieldChecks()
    checked = CheckedEntry(
        name=checks(check_name, entry.name),
        kind=checks(check_kind, entry.kind),
        institution=checks(check_institution, entry.institution),
        balance=checks(check_balance, entry.balance),
        as_of=checks(check_as_of, entry.as_of, today),
    )
    checks.done()
    return checked
