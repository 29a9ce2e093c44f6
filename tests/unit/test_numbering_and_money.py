from decimal import Decimal

import pytest

from paas.errors import InvalidInput
from paas.money import parse_amount, to_fen
from paas.numbering import CUSTOMER_NUMBER, POLICY_NUMBER, luhn_check_digit


def test_luhn_matches_the_textbook_example():
    assert luhn_check_digit("7992739871") == "3"


def test_reference_numbers_round_trip_and_catch_typos():
    number = POLICY_NUMBER.format(123456)
    assert number == "P0001234566" or POLICY_NUMBER.normalise(number) == number
    assert POLICY_NUMBER.normalise(number.lower().replace("p", "p ")) == number
    typo = number[:-2] + str((int(number[-2]) + 1) % 10) + number[-1]
    assert POLICY_NUMBER.normalise(typo) is None
    assert POLICY_NUMBER.normalise(number[:-1] + str((int(number[-1]) + 1) % 10)) is None
    assert CUSTOMER_NUMBER.normalise(number) is None
    assert POLICY_NUMBER.normalise("P" + "1" * 40) is None


def test_transposed_digits_are_caught():
    number = POLICY_NUMBER.format(120)
    body = number[1:-1]
    swapped = body[:-2] + body[-1] + body[-2]
    assert POLICY_NUMBER.normalise("P" + swapped + number[-1]) is None


def test_sequence_must_fit():
    with pytest.raises(ValueError):
        POLICY_NUMBER.format(10**9)


@pytest.mark.parametrize(("raw", "fen"), [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-1.005", "-1.01"), (7, "7.00")])
def test_one_rounding_rule_half_up(raw, fen):
    assert to_fen(raw) == Decimal(fen)


def test_to_fen_rejects_non_numbers():
    with pytest.raises(InvalidInput):
        to_fen("abc")


@pytest.mark.parametrize("text", ["", "0", "0.00", "-5", "1.234", "1e5", "abc", "1" * 13, "NaN"])
def test_typed_amounts_are_checked(text):
    with pytest.raises(InvalidInput):
        parse_amount(text)


def test_typed_amounts_accept_separators():
    assert parse_amount(" 12,345.6 ") == Decimal("12345.6")
