"""Money is ``Decimal`` in CNY yuan, and every amount is rounded once, to the fen, by one rule:
half up (四舍五入), as Chinese insurers and banks round."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from paas.errors import N_, InvalidInput

FEN = Decimal("0.01")
CURRENCY = "CNY"
_AMOUNT_TEXT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")


def to_fen(amount: Decimal | int | str) -> Decimal:
    """The single rounding rule for every amount the platform stores or shows."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise InvalidInput(N_("Not an amount: %(value)s"), value=str(amount)) from exc
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal) -> int:
    """Whole fen, as payment providers count: the one conversion from yuan to theirs."""
    return int(to_fen(amount) * 100)


def from_minor_units(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def parse_amount(text: str, *, field: str = "amount") -> Decimal:
    """Parse an amount typed by a person: digits, optional two decimals, greater than zero."""
    cleaned = (text or "").strip().replace(",", "")
    if not _AMOUNT_TEXT.match(cleaned):
        raise InvalidInput(
            N_("Enter an amount in yuan with at most two decimals, e.g. 1000.50."), field=field
        )
    value = Decimal(cleaned)
    if value <= 0:
        raise InvalidInput(N_("The amount must be greater than zero."), field=field)
    return value
