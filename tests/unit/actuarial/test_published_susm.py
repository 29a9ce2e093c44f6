"""The Standard Ultimate Survival Model at 5% against its published table.

Reference values: the SOA's "Standard Ultimate Life Table" for Exam LTAM (2018), which is also
Appendix D of Dickson, Hardy & Waters, "Actuarial Mathematics for Life Contingent Risks":
https://www.soa.org/globalassets/assets/Files/Edu/2018/ltam-standard-ultimate-life-table.pdf
Copied here as transcribed in the published-table tests of the R package lifecontingencies
(github.com/spedygiorgio/lifecontingencies, tests/testthat/test-published-sult-ilt.R), for the
ages 20, 30, ..., 100 found there; values for other ages were not found and are not invented.
Each figure is compared at the precision it is printed with."""
from decimal import Decimal

import pytest

from paas.actuarial import LifeTable, net_annual_premium

AGES = (20, 30, 40, 50, 60, 70, 80, 90, 100)
# column: (printed decimals, values at AGES)
PUBLISHED = {
    "l": (1, (100000.0, 99727.3, 99338.3, 98576.4, 96634.1, 91082.4, 75657.2, 41841.1, 6248.2)),
    "q": (6, (0.000250, 0.000315, 0.000527, 0.001209, 0.003398, 0.010413, 0.032658, 0.100917, 0.289584)),
    "a": (4, (19.9664, 19.3834, 18.4578, 17.0245, 14.9041, 12.0083, 8.5484, 5.1835, 2.7156)),
    "A": (5, (0.04922, 0.07698, 0.12106, 0.18931, 0.29028, 0.42818, 0.59293, 0.75317, 0.87068)),
    "2A": (5, (0.00580, 0.01109, 0.02347, 0.05108, 0.10834, 0.21467, 0.38134, 0.58528, 0.76427)),
    "a10": (4, (8.0991, 8.0961, 8.0863, 8.0550, 7.9555, 7.6491, 6.7885, 4.9346, 2.7137)),
    "A10": (5, (0.61433, 0.61447, 0.61494, 0.61643, 0.62116, 0.63576, 0.67674, 0.76502, 0.87078)),
    "a20": (4, (13.0559, 13.0410, 12.9935, 12.8428, 12.3816, 11.1109, 8.4639, 5.1833, 2.7156)),
    "A20": (5, (0.37829, 0.37900, 0.38126, 0.38844, 0.41040, 0.47091, 0.59696, 0.75317, 0.87068)),
    "5E": (5, (0.78252, 0.78219, 0.78113, 0.77772, 0.76687, 0.73295, 0.63365, 0.39659, 0.08777)),
    "10E": (5, (0.61224, 0.61152, 0.60920, 0.60182, 0.57864, 0.50994, 0.33952, 0.09168, 0.00136)),
    "20E": (5, (0.37440, 0.37254, 0.36663, 0.34824, 0.29508, 0.17313, 0.03113, 0.00012, 0.00000)),
}
FUNCTIONS = {
    "l": lambda basis, x: basis.l(x),
    "q": lambda basis, x: basis.q(x),
    "a": lambda basis, x: basis.annuity_due(x),
    "A": lambda basis, x: basis.insurance(x),
    "2A": lambda basis, x: basis.insurance_2nd_moment(x),
    "a10": lambda basis, x: basis.annuity_due(x, 10),
    "A10": lambda basis, x: basis.endowment(x, 10),
    "a20": lambda basis, x: basis.annuity_due(x, 20),
    "A20": lambda basis, x: basis.endowment(x, 20),
    "5E": lambda basis, x: basis.pure_endowment(x, 5),
    "10E": lambda basis, x: basis.pure_endowment(x, 10),
    "20E": lambda basis, x: basis.pure_endowment(x, 20),
}
CASES = [
    pytest.param(column, age, printed, digits, id=f"{column}_{age}")
    for column, (digits, values) in PUBLISHED.items()
    for age, printed in zip(AGES, values)
]


@pytest.fixture(scope="module")
def basis():
    return LifeTable.susm().at(interest=0.05)


@pytest.mark.parametrize(("column", "age", "printed", "digits"), CASES)
def test_reproduces_the_printed_table(basis, column, age, printed, digits):
    assert round(FUNCTIONS[column](basis, age), digits) == printed


def test_the_figures_quoted_in_the_brief(basis):
    assert round(basis.annuity_due(20), 4) == 19.9664
    assert round(basis.insurance(40), 5) == 0.12106
    assert round(basis.insurance_2nd_moment(60), 5) == 0.10834
    assert round(basis.annuity_due(40, 20), 4) == 12.9935


def test_net_annual_premium_for_whole_life_on_40_is_rounded_once_to_the_fen(basis):
    premium = net_annual_premium(basis, 40, Decimal("100000"))
    assert premium == Decimal("655.87")
    assert premium.as_tuple().exponent == -2


def test_relations_between_the_printed_columns_hold_in_the_engine(basis):
    # A¹_40:20 = A_40:20 − 20E40, and 20|ä40 = 20E40·ä60, from the printed figures.
    assert basis.insurance(40, 20) == pytest.approx(0.38126 - 0.36663, abs=1e-5)
    assert basis.annuity_due(40) - basis.annuity_due(40, 20) == pytest.approx(0.36663 * 14.9041, abs=1e-4)
