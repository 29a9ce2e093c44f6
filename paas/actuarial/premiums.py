"""Net (pure) annual premiums in yuan, by the equivalence principle: the premiums' expected
present value equals the benefit's. The actuarial factors are floats; the money is Decimal,
rounded once to the fen by :func:`paas.money.to_fen`."""
from __future__ import annotations

from decimal import Decimal

from paas.actuarial.basis import Basis
from paas.money import to_fen


def net_annual_premium(
    basis: Basis,
    age: int,
    sum_assured: Decimal | int | str,
    *,
    term: int | None = None,
    endowment: bool = False,
    premium_years: int | None = None,
) -> Decimal:
    """The level premium, paid yearly in advance while the insured is alive, for the sum
    assured payable at the end of the year of death: for life (term None), within ``term``
    years, or, with ``endowment``, also on survival to the end of the term. Premiums are
    paid for ``premium_years`` (default: the whole term, or for life)."""
    if endowment:
        benefit = basis.endowment(age, term)  # type: ignore[arg-type] - checked there
    else:
        benefit = basis.insurance(age, term)
    premiums = basis.annuity_due(age, premium_years if premium_years is not None else term)
    # repr() is the shortest decimal that round-trips the float, so the one rounding below
    # sees the computed rate, not the binary expansion's tail.
    return to_fen(Decimal(repr(benefit / premiums)) * Decimal(sum_assured))
