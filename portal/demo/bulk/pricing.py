"""Sum assured and premium of a generated policy: amounts people buy, and premiums that rise
with the age at issue and differ by gender and premium years as real rates do (roughly: these
are plausible figures, not the products' tariffs)."""
from __future__ import annotations

from collections.abc import Callable

from portal.demo.bulk.cover import Cover

_TERM_SUMS = (100_000, 200_000, 300_000, 500_000, 500_000, 800_000, 1_000_000, 1_000_000, 1_500_000, 2_000_000)
_WLPAR_SUMS = (50_000, 100_000, 150_000, 200_000, 300_000, 500_000, 1_000_000)
_ENDOW_SUMS = (30_000, 50_000, 80_000, 100_000, 150_000, 200_000, 300_000)
_CI_SUMS = (100_000, 200_000, 300_000, 500_000, 500_000, 800_000)
_ULINK_SINGLE_PREMIUMS = (20_000, 50_000, 100_000, 200_000, 500_000)
_ULINK_ANNUAL_PREMIUMS = (6_000, 10_000, 12_000, 20_000, 30_000, 50_000)
_ULINK_COVER_MULTIPLES = (5, 10, 12, 15, 20)


def price(r: Callable[[], float], cover: Cover, age: int, is_male: bool) -> tuple[int, int]:
    """(sum assured in yuan, modal premium in fen) for an insured aged ``age`` at issue."""
    if cover.code == "ULINK":
        sum_assured, annual_fen = _unit_linked(r, cover.single)
    else:
        sum_assured, per_mille = _sum_and_rate(r, cover, age, is_male)
        annual_fen = int(sum_assured * per_mille / 1000) * 100 + int(r() * 10) * 10  # whole jiao
    modal_fen = annual_fen if cover.single else int(annual_fen * cover.factor + 0.5)
    return sum_assured, modal_fen


def _unit_linked(r: Callable[[], float], single: bool) -> tuple[int, int]:
    """Unit-linked: the premium is chosen, the cover is a multiple of it."""
    if single:
        premium_yuan = _ULINK_SINGLE_PREMIUMS[int(r() * 5)]
        sum_assured = premium_yuan * (12 + int(r() * 4)) // 10
    else:
        premium_yuan = _ULINK_ANNUAL_PREMIUMS[int(r() * 6)]
        sum_assured = premium_yuan * _ULINK_COVER_MULTIPLES[int(r() * 5)]
    return sum_assured, premium_yuan * 100


def _sum_and_rate(r: Callable[[], float], cover: Cover, age: int, is_male: bool) -> tuple[int, float]:
    """The cover is chosen; the annual premium per mille of it follows."""
    code, pay, single = cover.code, cover.pay, cover.single
    if code == "TERM":
        sum_assured = _TERM_SUMS[int(r() * 10)]
        return sum_assured, (0.35 + 0.0015 * age * age) * (1.0 if is_male else 0.8) * (1.0 if pay == 20 else 1.7)
    if code == "WLPAR":
        sum_assured = _WLPAR_SUMS[int(r() * 7)]
        return sum_assured, (180 + 5 * age) if single else (12 + 0.5 * age) if pay == 20 else (22 + 0.8 * age)
    if code == "ENDOW":
        sum_assured = _ENDOW_SUMS[int(r() * 7)]
        return sum_assured, (850 + 2 * age) if single else 1000 * (1.02 + 0.004 * cover.term) / pay + 0.3 * age
    sum_assured = _CI_SUMS[int(r() * 6)]  # CI
    return sum_assured, (3 + 0.3 * age) * (1.0 if is_male else 0.95) * (1.0 if pay == 20 else 1.6)
