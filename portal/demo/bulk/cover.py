"""What a generated policy buys: the product, the years of cover and of premiums, and how the
premium is paid - within each product's rules."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal.demo.bulk.vocabulary import weighted_table

PRODUCT_WEIGHTS = (("TERM", 22), ("WLPAR", 22), ("ENDOW", 20), ("ULINK", 12), ("CI", 24))
_PRODUCT_TABLE = weighted_table(PRODUCT_WEIGHTS)
# Only these have a cash value to surrender, and only these can be made paid-up.
CASH_VALUE_PRODUCTS = ("WLPAR", "ENDOW", "ULINK")
PAID_UP_PRODUCTS = ("WLPAR", "ENDOW")
# Oldest insured at issue, and the share of single-premium policies.
MAX_ISSUE_AGE = {"TERM": 60, "WLPAR": 65, "ENDOW": 60, "ULINK": 65, "CI": 55}
SINGLE_SHARE = {"TERM": 0.0, "WLPAR": 0.10, "ENDOW": 0.15, "ULINK": 0.20, "CI": 0.0}

# Modes of regular-premium policies: (mode, weight, months between dues, factor on the annual premium).
MODES = (("annual", 62, 12, 1.0), ("semi_annual", 8, 6, 0.52), ("quarterly", 9, 3, 0.265), ("monthly", 21, 1, 0.09))
_MODE_TABLE = weighted_table(((m, step, f), w) for m, w, step, f in MODES)


@dataclass(slots=True)
class Cover:
    code: str  # the product
    term: int | None  # years of cover; None: whole life
    pay: int  # years of premiums
    single: bool  # one premium at issue
    mode: str
    step: int  # months between dues
    factor: float  # modal premium / annual premium
    dues: int  # premiums due over the policy's life


def choose_product(r: Callable[[], float], status: str) -> str:
    """A product that can have ``status``: paid-up and surrendered policies need a cash value."""
    if status == "paid_up":
        return PAID_UP_PRODUCTS[int(r() * len(PAID_UP_PRODUCTS))]
    if status == "surrendered":
        return CASH_VALUE_PRODUCTS[int(r() * len(CASH_VALUE_PRODUCTS))]
    return _PRODUCT_TABLE[int(r() * len(_PRODUCT_TABLE))]


def choose_cover(r: Callable[[], float], code: str, status: str) -> Cover:
    term, pay = _term_and_premium_years(r, code)
    # a single premium leaves nothing to fall behind with: never in grace, lapsed or paid-up
    single = status in ("in_force", "surrendered") and r() < SINGLE_SHARE[code]
    if single:
        return Cover(code, term, pay, True, "single", 12, 1.0, 1)
    mode, step, factor = _MODE_TABLE[int(r() * len(_MODE_TABLE))]
    return Cover(code, term, pay, False, mode, step, factor, pay * 12 // step)


def _term_and_premium_years(r: Callable[[], float], code: str) -> tuple[int | None, int]:
    if code == "TERM":
        return 20, (20 if r() < 0.8 else 10)
    if code == "WLPAR":
        return None, (20 if r() < 0.6 else 10)
    if code == "ENDOW":
        term = (10, 15, 20)[int(r() * 3)]
        return term, (5 if term == 10 or r() < 0.3 else 10)
    if code == "ULINK":
        return None, (10 if r() < 0.7 else 20)
    term = 30 if r() < 0.7 else 20  # CI
    return term, (20 if term == 30 or r() < 0.5 else 10)
