"""The checks on what a person types for an external account: limits named, nothing lost."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paas.assets.entry import AccountEntry, check_as_of, check_balance, check_entry, check_institution, check_kind, check_name
from paas.errors import InvalidInput

TODAY = date(2026, 11, 27)


def _error(check, *args) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check(*args)
    return caught.value


@pytest.mark.parametrize("text, value", [
    ("0", Decimal("0.00")), ("0.00", Decimal("0.00")), ("1", Decimal("1.00")), (" 25,000.5 ", Decimal("25000.50")),
    ("999999999999.99", Decimal("999999999999.99")), ("0012.30", Decimal("12.30")),
])
def test_balances_accepted(text, value):
    assert check_balance(text) == value


@pytest.mark.parametrize("text, words", [
    ("-1", "negative"), ("-0.5", "negative"), ("1.234", "two decimals"), ("0.001", "two decimals"),
    ("1000000000000", "at most"), ("999999999999.999", "two decimals"), ("abc", "in yuan"), ("", "in yuan"),
    ("1e5", "in yuan"), ("NaN", "in yuan"), ("1.", "in yuan"), ("١٢٣", "in yuan"), ("¥100", "in yuan"),
])
def test_balances_refused_with_the_reason(text, words):
    error = _error(check_balance, text)
    assert error.field == "balance"
    assert words in str(error)


def test_the_largest_balance_is_named_in_the_message():
    error = _error(check_balance, "1000000000000.00")
    assert error.params == {"max": "999,999,999,999.99"}


@pytest.mark.parametrize("text", ["x", "a" * 60, "  工资卡  "])
def test_names_of_1_to_60_characters(text):
    assert check_name(text) == text.strip()


@pytest.mark.parametrize("text", ["", "   ", "a" * 61, "账" * 61])
def test_names_outside_1_to_60_characters(text):
    error = _error(check_name, text)
    assert error.field == "name" and error.params == {"max": 60}


def test_names_lose_runs_of_whitespace():
    assert check_name(" 我的\t 养老金\n") == "我的 养老金"


def test_kinds_come_from_the_fixed_list():
    assert [check_kind(k) for k in ("bank", "securities", "fund", "pension", "other", " Bank ")] == [
        "bank", "securities", "fund", "pension", "other", "bank"]
    for unknown in ("crypto", "", "insurance", "banks"):
        assert _error(check_kind, unknown).field == "kind"


def test_institution_is_optional_and_limited():
    assert check_institution("") is None and check_institution(None) is None
    assert check_institution(" 中信证券 ") == "中信证券"
    assert _error(check_institution, "x" * 61).params == {"max": 60}


@pytest.mark.parametrize("text, value", [("2026-11-27", TODAY), ("1990-01-01", date(1990, 1, 1)), (" 2024-02-29 ", date(2024, 2, 29))])
def test_as_of_dates_accepted(text, value):
    assert check_as_of(text, TODAY) == value


@pytest.mark.parametrize("text, words", [
    ("2026-11-28", "future"), ("1989-12-31", "before"), ("2023-02-29", "real date"), ("2026-13-01", "real date"),
    ("27/11/2026", "real date"), ("20261127", "real date"), ("", "real date"), ("2026-11-27T00:00", "real date"),
])
def test_as_of_dates_refused(text, words):
    error = _error(check_as_of, text, TODAY)
    assert error.field == "as_of" and words in str(error)


def test_a_whole_entry_reports_the_topmost_problem_first():
    entry = AccountEntry(name="", kind="crypto", balance="-1", as_of="tomorrow")
    assert _error(check_entry, entry, TODAY).field == "name"
    checked = check_entry(AccountEntry("养老金", "pension", "", "0", "2026-01-31"), TODAY)
    assert (checked.name, checked.kind, checked.institution, checked.balance, checked.as_of) == (
        "养老金", "pension", None, Decimal("0.00"), date(2026, 1, 31))
