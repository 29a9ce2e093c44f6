"""The arithmetic of the money servicing rules, without a database: trade dates, sharing an
amount between funds to the fen, the partial withdrawal maximum, what pending sells hold
back, and the reinstatement arrears at the end of the premium term."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paas.funds.models import FundOrder
from paas.funds.orders import free_positions, next_trade_date, split_by_weight
from paas.funds.positions import FundPosition
from paas.money import to_fen
from paas.products.values import reinstatement_amount
from paas.servicing.kinds.partial_withdrawal import withdrawal_maximum


@pytest.mark.parametrize(("day", "trade"), [
    (date(2026, 11, 26), date(2026, 11, 27)),  # Thursday -> Friday
    (date(2026, 11, 27), date(2026, 11, 30)),  # Friday -> Monday
    (date(2026, 11, 28), date(2026, 11, 30)),  # Saturday -> Monday
])
def test_the_next_trade_date_is_the_next_weekday(day, trade):
    assert next_trade_date(day) == trade


@pytest.mark.parametrize(("amount", "weights"), [
    (Decimal("1000.01"), {"A": Decimal(30), "B": Decimal(70)}),
    (Decimal("100.00"), {"A": Decimal(1), "B": Decimal(1), "C": Decimal(1)}),
    (Decimal("0.01"), {"A": Decimal("24000.00"), "B": Decimal("20000.00")}),
])
def test_an_amount_is_shared_out_to_the_fen_and_adds_up(amount, weights):
    parts = split_by_weight(amount, weights)
    assert sum(parts.values()) == amount and all(part == to_fen(part) > 0 for part in parts.values())


def test_thirds_leave_the_fen_to_the_largest_share():
    assert split_by_weight(Decimal("100.00"), {"A": Decimal(1), "B": Decimal(2), "C": Decimal(1)}) == {
        "A": Decimal("25.00"), "B": Decimal("50.00"), "C": Decimal("25.00")}
    assert split_by_weight(Decimal("100.00"), {"A": Decimal(1), "B": Decimal(1), "C": Decimal(1)}) == {
        "A": Decimal("33.33"), "B": Decimal("33.33"), "C": Decimal("33.34")}


@pytest.mark.parametrize(("available", "share", "maximum"), [
    (Decimal("44000.00"), Decimal("0"), Decimal("39000.00")),
    (Decimal("44000.00"), Decimal("0.03"), Decimal("37864.07")),
    (Decimal("5000.00"), Decimal("0.05"), Decimal("0.00")),
    (Decimal("5000.01"), Decimal("0.05"), Decimal("0.00")),  # 0.01 with its charge would not fit
    (Decimal("5000.03"), Decimal("0.05"), Decimal("0.02")),
])
def test_the_withdrawal_maximum_leaves_the_minimum_after_its_charge(available, share, maximum):
    assert withdrawal_maximum(available, share) == maximum
    assert maximum + to_fen(maximum * share) <= available - Decimal("5000.00") or maximum == 0


def test_pending_sells_hold_back_units_and_money():
    positions = (FundPosition("BOND", "", "", "low", Decimal("1000"), Decimal("1.2500"), date(2026, 11, 27)),
                 FundPosition("BAL", "", "", "medium", Decimal("500"), Decimal("2.0000"), date(2026, 11, 27)))
    pending = [FundOrder(kind="sell", fund_code="BOND", units=Decimal("100")),
               FundOrder(kind="sell", fund_code="BAL", amount=Decimal("200.00")),
               FundOrder(kind="buy", fund_code="BAL", amount=Decimal("999.00"))]
    free = free_positions(positions, pending)
    assert (free["BOND"].units, free["BOND"].value) == (Decimal("900"), Decimal("1125.00"))
    assert (free["BAL"].units, free["BAL"].value) == (Decimal("400.000000"), Decimal("800.00"))


def test_reinstatement_arrears_stop_at_the_end_of_the_premium_term():
    # Premiums due on 1 March 2021..2024; the term ends on 1 March 2025, when no premium falls.
    amount = reinstatement_amount(Decimal("1000"), "annual", date(2020, 3, 1), date(2024, 3, 1), date(2025, 6, 1),
                                  Decimal("0.05"), date(2025, 3, 1), Decimal("0"))
    assert amount == to_fen(Decimal("1000") * (1 + Decimal("0.05") * 457 / 365))
