"""``portal quote`` prints what the API answers, in either language; bad input exits 2."""
from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

from portal.cli import main

WLPAR = ["--product", "WLPAR", "--sex", "M", "--age", "30", "--sum-assured", "300000", "--premium-term", "20", "--mode", "annual"]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def yuan(text: str) -> str:
    return f"¥{Decimal(text):,.2f}"


def test_the_cli_quote_equals_the_api_quote(web):
    api = web.client.post("/api/v1/quotes", json={"product": "WLPAR", "sex": "M", "age": 30, "sum_assured": "300000",
                                                   "premium_term": "20", "mode": "annual"}).json
    result = run("quote", *WLPAR, "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"Premium per payment (Annual): {yuan(api['premium']['per_payment'])}" in lines
    assert f"Premium per year: {yuan(api['premium']['per_year'])}" in lines
    assert f"Total premiums: {yuan(api['total_premiums'])}" in lines
    table = lines[lines.index("Policy year\tAge\tPremiums paid\tCash value") + 1:]
    assert table == [f"{y['policy_year']}\t{y['age']}\t{yuan(y['premiums_paid'])}\t{yuan(y['cash_value'])}" for y in api["illustration"]]


def test_chinese_is_the_default():
    result = run("quote", *WLPAR)
    assert result.exit_code == 0
    assert "福寿分红终身寿险 (WLPAR)" in result.output and "每期保费 (年缴)" in result.output and "保障期间: 终身" in result.output


def test_single_premium_and_term_options():
    single = run("quote", "--product", "ENDOW", "--sex", "F", "--age", "40", "--sum-assured", "100000", "--term", "15",
                 "--mode", "single", "--lang", "en")
    assert single.exit_code == 0 and "Single premium: ¥" in single.output and "Cover lasts: 15 years" in single.output
    linked = run("quote", "--product", "ULINK", "--sex", "F", "--age", "40", "--sum-assured", "200000", "--premium-term", "10",
                 "--lang", "en")
    assert linked.exit_code == 0 and "Premium per year: ¥10,000.00" in linked.output and "Policy year" not in linked.output


@pytest.mark.parametrize("args, expected", [
    (["--age", "90"], "--age: This product is for ages 0 to 65 when cover starts; the insured would be 90."),
    (["--sum-assured", "10"], "--sum-assured: The sum assured must be between 50,000 and 10,000,000 yuan."),
    (["--term", "20"], "--term: This product covers the whole of life; it has no term to choose."),
    (["--mode", "weekly"], "--mode: This way of paying is not offered for this product."),
    (["--product", "NOPE"], "--product: There is no product NOPE."),
    (["--birth-date", "1990/01/01"], "--birth-date: Give the date of birth as year-month-day, e.g. 1990-05-31."),
])
def test_bad_input_exits_2_with_a_clear_message(args, expected):
    result = run("quote", *WLPAR, *args, "--lang", "en")
    assert result.exit_code == 2
    assert result.output.strip() == expected


def test_bad_input_in_chinese_and_missing_options():
    result = run("quote", *WLPAR, "--age", "90")
    assert result.exit_code == 2 and "--age: 本产品的投保年龄为0至65周岁；被保险人为90周岁。" in result.output
    missing = run("quote", "--product", "WLPAR")
    assert missing.exit_code == 2 and "--sex" in missing.output
