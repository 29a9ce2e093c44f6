"""The evaluator: every check of the rule book runs on the facts; each that fires gives a
finding (its rule and the numbers behind it). Any decline declines, else any referral refers,
else the case is accepted at standard rates. Checks register themselves, so a new kind of rule
is one function here and one table in the rule book."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from paas.errors import N_
from paas.underwriting.facts import Facts
from paas.underwriting.rulebook import Band, Rule, Rulebook, current

ACCEPT, REFER, DECLINE = "accept", "refer", "decline"
OUTCOME_LABELS = {ACCEPT: N_("Accept"), REFER: N_("Refer to an underwriter"), DECLINE: N_("Decline cover")}
Check = Callable[[Rulebook, Facts], Iterator["Finding"]]
CHECKS: list[Check] = []


@dataclass(frozen=True)
class Finding:
    rule: Rule
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def outcome(self) -> str:
        return self.rule.outcome

    def reason(self, locale: str) -> str:
        return self.rule.reason.in_(locale, **self.params)

    def told(self, locale: str) -> str:
        return self.rule.told.in_(locale, **self.params)


@dataclass(frozen=True)
class Verdict:
    outcome: str
    findings: tuple[Finding, ...]
    rulebook: int

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


def evaluate(facts: Facts, book: Rulebook | None = None) -> Verdict:
    book = book or current()
    findings = tuple(finding for run in CHECKS for finding in run(book, facts))
    outcomes = {f.outcome for f in findings}
    outcome = DECLINE if DECLINE in outcomes else REFER if REFER in outcomes else ACCEPT
    return Verdict(outcome, findings, book.version)


def _money(amount: Decimal) -> str:
    return f"{amount:,.0f}"


def _band(bands: tuple[Band, ...], age: int) -> Band:
    return next(b for b in bands if b.upper is None or age <= b.upper)


@check
def issue_age(book: Rulebook, facts: Facts) -> Iterator[Finding]:
    highest = book.straight_through_max.get(facts.product)
    if highest is not None and facts.age > highest:
        yield Finding(book.issue_age, {"age": facts.age, "max": highest})


@check
def bmi(book: Rulebook, facts: Facts) -> Iterator[Finding]:
    value = facts.bmi
    band = next(b for b in book.bmi if b.upper is None or value < b.upper)
    if band.rule.outcome != ACCEPT:
        yield Finding(band.rule, {"bmi": str(value)})


@check
def health(book: Rulebook, facts: Facts) -> Iterator[Finding]:
    for question in book.questions_for(facts.product):
        # An unanswered question is not a "no": the application cannot be submitted without it.
        if facts.answers.get(question.id, True):
            yield Finding(question.rule)


@check
def occupation(book: Rulebook, facts: Facts) -> Iterator[Finding]:
    known = book.occupations.get(facts.occupation_class)
    if known is None:
        yield Finding(book.occupations[max(book.occupations)].rule)  # type: ignore[arg-type]
    elif known.rule is not None:
        yield Finding(known.rule)


@check
def non_medical_limit(book: Rulebook, facts: Facts) -> Iterator[Finding]:
    limit = _band(book.non_medical, facts.age).value
    if facts.total_cover > limit:
        yield Finding(book.non_medical_rule, {"total": _money(facts.total_cover), "limit": _money(limit), "age": facts.age})


@check
def income_multiple(book: Rulebook, facts: Facts) -> Iterator[Finding]:
    allowed = _band(book.income, facts.age).value
    if facts.income <= 0 or facts.total_cover > allowed * facts.income:
        multiple = (facts.total_cover / facts.income).quantize(Decimal("0.1")) if facts.income > 0 else "—"
        yield Finding(book.income_rule, {"total": _money(facts.total_cover), "income": _money(facts.income),
                                         "multiple": str(multiple), "max": f"{allowed:.0f}"})


@check
def aggregate(book: Rulebook, facts: Facts) -> Iterator[Finding]:
    if facts.total_cover > book.aggregate_limit:
        yield Finding(book.aggregate, {"total": _money(facts.total_cover), "limit": _money(book.aggregate_limit)})


def reinstatement_refers(answers: dict[str, str], book: Rulebook | None = None) -> Finding | None:
    """A reinstatement's health declaration: any "yes" refers it to an underwriter."""
    book = book or current()
    return Finding(book.reinstatement) if "yes" in answers.values() else None
