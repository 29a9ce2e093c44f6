"""How much life cover a household needs (the income-replacement method), shown step by
step: each step is a message id with its parameters, so the page reads in any language.

    need = income x replacement ratio x years of support + debts + education
           - savings - existing cover, never below zero, rounded up to a sensible step"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from paas.advice.circumstances import Circumstances
from paas.errors import N_

REPLACEMENT_RATIO = Decimal("0.70")  # a family of one fewer spends less than before
INDEPENDENCE_AGE = 22  # children are supported until they finish university
MIN_SUPPORT_YEARS = 10  # time for a family to adjust, however old the dependents
EDUCATION_FUND_PER_CHILD = Decimal("150000")
CI_MULTIPLE_WITH_DEPENDENTS = 5  # critical illness cover: 3-5 years of income is the usual advice
CI_MULTIPLE_ALONE = 3
SMALL_STEP, LARGE_STEP, LARGE_FROM = Decimal(10_000), Decimal(50_000), Decimal(1_000_000)

UNTIL_INDEPENDENT = N_("Your youngest dependent is %(age)s, so your family would need your income for %(years)s years, until they turn 22.")
AT_LEAST = N_("Your youngest dependent is %(age)s; we plan for %(years)s years of income, the least a family needs to adjust.")
NO_DEPENDENTS = N_("No one depends on your income, so there is no income to replace.")
INCOME = N_("Income replacement: %(ratio)s of your yearly income of %(income)s, for %(years)s years.")
DEBTS = N_("Debts to pay off, such as a mortgage, so that your family keeps its home.")
EDUCATION = N_("Education fund: %(per_child)s for each of %(children)s children.")
SAVINGS = N_("Less your savings and investments, which your family could draw on.")
EXISTING_COVER = N_("Less the life cover you already have.")
ALREADY_COVERED = N_("What you already have covers this need: you need no more life cover.")
ROUNDED = N_("Rounded up to the next %(step)s yuan: the life cover we suggest.")
CRITICAL_ILLNESS = N_("Critical illness cover: %(multiple)s times your yearly income, to pay for treatment and replace your income while you recover.")


@dataclass(frozen=True)
class Step:
    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    amount: Decimal | None = None  # added to the need (negative: taken off); None: reasoning only


@dataclass(frozen=True)
class NeedsAnalysis:
    support_years: int
    steps: tuple[Step, ...]
    shortfall: Decimal  # the sum of the steps' amounts; may be negative
    life_cover: Decimal  # what we suggest: never negative, rounded up
    conclusion: Step  # how the shortfall became the suggestion; its amount is the suggestion
    critical_illness_multiple: int
    critical_illness_cover: Decimal
    critical_illness_step: Step


def support_years(c: Circumstances) -> int:
    if not c.dependents or c.youngest_age is None:
        return 0
    return max(INDEPENDENCE_AGE - c.youngest_age, MIN_SUPPORT_YEARS)


def round_up(amount: Decimal) -> Decimal:
    """Up to the next 10,000 yuan (50,000 from a million): cover comes in round amounts."""
    step = step_for(amount)
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step if amount > 0 else Decimal(0)


def step_for(amount: Decimal) -> Decimal:
    return LARGE_STEP if amount >= LARGE_FROM else SMALL_STEP


def analyse(c: Circumstances) -> NeedsAnalysis:
    years = support_years(c)
    steps = [_support_reason(c, years)]
    if years:
        ratio = f"{REPLACEMENT_RATIO * 100:.0f}%"
        replacement = c.annual_income * REPLACEMENT_RATIO * years
        steps.append(Step(INCOME, {"ratio": ratio, "income": c.annual_income, "years": years}, replacement))
    if c.debts:
        steps.append(Step(DEBTS, amount=c.debts))
    if c.children:
        steps.append(Step(EDUCATION, {"per_child": EDUCATION_FUND_PER_CHILD, "children": c.children},
                          EDUCATION_FUND_PER_CHILD * c.children))
    if c.savings:
        steps.append(Step(SAVINGS, amount=-c.savings))
    if c.existing_cover:
        steps.append(Step(EXISTING_COVER, amount=-c.existing_cover))
    shortfall = sum((s.amount for s in steps if s.amount is not None), Decimal(0))
    life_cover = round_up(shortfall)
    if life_cover:
        conclusion = Step(ROUNDED, {"step": f"{step_for(shortfall):,.0f}"}, life_cover)
    else:
        conclusion = Step(ALREADY_COVERED, amount=Decimal(0))
    multiple = CI_MULTIPLE_WITH_DEPENDENTS if c.dependents else CI_MULTIPLE_ALONE
    ci_cover = round_up(c.annual_income * multiple)
    return NeedsAnalysis(years, tuple(steps), shortfall, life_cover, conclusion, multiple, ci_cover,
                         Step(CRITICAL_ILLNESS, {"multiple": multiple}, ci_cover))


def _support_reason(c: Circumstances, years: int) -> Step:
    if not years:
        return Step(NO_DEPENDENTS)
    until_independent = INDEPENDENCE_AGE - (c.youngest_age or 0)
    return Step(UNTIL_INDEPENDENT if until_independent >= MIN_SUPPORT_YEARS else AT_LEAST,
                {"age": c.youngest_age, "years": years})
