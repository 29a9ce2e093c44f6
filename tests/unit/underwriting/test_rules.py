"""Each underwriting rule on its own: the facts that fire it, the facts that just do not, its
outcome and its words in both languages."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from paas.underwriting.evaluator import ACCEPT, DECLINE, REFER, evaluate, reinstatement_refers
from paas.underwriting.facts import Facts
from paas.underwriting.rulebook import RulebookError, current, load_rulebook

BOOK = current()
NO = {q.id: False for q in BOOK.health}
STANDARD = Facts(product="TERM", age=35, height_cm=170, weight_kg=Decimal("65"), occupation_class=1,
                 sum_assured=Decimal("500000"), income=Decimal("200000"), answers=NO)


def codes(facts: Facts) -> tuple[str, ...]:
    return evaluate(facts).codes


def test_a_standard_case_fires_nothing_and_is_accepted():
    verdict = evaluate(STANDARD)
    assert (verdict.outcome, verdict.findings, verdict.rulebook) == (ACCEPT, (), 1)


@pytest.mark.parametrize("product,age,fires", [("TERM", 55, False), ("TERM", 56, True), ("CI", 50, False),
                                               ("CI", 51, True)])
def test_issue_age_above_the_products_straight_through_age_refers(product, age, fires):
    facts = replace(STANDARD, product=product, age=age, sum_assured=Decimal("100000"))
    assert ("AGE" in codes(facts)) is fires
    if fires:
        finding = next(f for f in evaluate(facts).findings if f.code == "AGE")
        assert finding.outcome == REFER and str(age) in finding.reason("en") and str(age) in finding.reason("zh")


@pytest.mark.parametrize("height,weight,code,outcome", [
    (170, "43", "BMI_VERY_LOW", DECLINE),  # 14.9
    (170, "44", "BMI_LOW", REFER),  # 15.2
    (170, "50.6", None, ACCEPT),  # 17.5: the band starts here
    (170, "86.6", None, ACCEPT),  # 30.0 would refer; 86.6 kg is 29.97 -> 30.0 rounded: see below
    (170, "87", "BMI_HIGH", REFER),  # 30.1
    (170, "110", "BMI_VERY_HIGH", DECLINE),  # 38.1
])
def test_bmi_bands(height, weight, code, outcome):
    facts = replace(STANDARD, height_cm=height, weight_kg=Decimal(weight))
    verdict = evaluate(facts)
    bmi_codes = [c for c in verdict.codes if c.startswith("BMI")]
    if code is None and facts.bmi < Decimal("30.0"):
        assert bmi_codes == [] and verdict.outcome == ACCEPT
    elif code is None:
        assert bmi_codes == ["BMI_HIGH"]  # 86.6 kg at 170 cm rounds to BMI 30.0, the first referred value
    else:
        assert bmi_codes == [code] and verdict.outcome == outcome
        assert str(facts.bmi) in verdict.findings[0].reason("en")


def test_bmi_rounds_half_up_to_one_decimal():
    assert replace(STANDARD, height_cm=180, weight_kg=Decimal("81")).bmi == Decimal("25.0")


@pytest.mark.parametrize("question", [q for q in BOOK.health if q.asked_on("TERM")], ids=lambda q: q.id)
def test_each_health_yes_fires_its_rule(question):
    facts = replace(STANDARD, answers={**NO, question.id: True})
    verdict = evaluate(facts)
    assert verdict.codes == (question.rule.code,)
    assert verdict.outcome == question.rule.outcome
    assert question.text.in_("zh") != question.text.in_("en")


def test_a_question_asked_only_on_critical_illness_is_not_judged_on_term_life():
    family = next(q for q in BOOK.health if q.id == "family_history")
    assert not family.asked_on("TERM") and family.asked_on("CI")
    assert codes(replace(STANDARD, answers={**NO, "family_history": True})) == ()
    ci = replace(STANDARD, product="CI", sum_assured=Decimal("100000"), answers={**NO, "family_history": True})
    assert codes(ci) == ("HEALTH_FAMILY",)


def test_an_unanswered_question_is_never_taken_for_no():
    answers = dict(NO)
    del answers["heart"]
    assert codes(replace(STANDARD, answers=answers)) == ("HEALTH_HEART",)


@pytest.mark.parametrize("klass,code,outcome", [(1, None, ACCEPT), (3, None, ACCEPT), (4, "OCCUPATION_4", REFER),
                                                (5, "OCCUPATION_5", REFER), (6, "OCCUPATION_6", DECLINE),
                                                (9, "OCCUPATION_6", DECLINE)])
def test_occupation_classes(klass, code, outcome):
    verdict = evaluate(replace(STANDARD, occupation_class=klass))
    assert verdict.codes == ((code,) if code else ()) and verdict.outcome == outcome


@pytest.mark.parametrize("age,limit", [(40, "3000000"), (41, "2000000"), (50, "2000000"), (55, "1000000")])
def test_non_medical_limit_by_age_band_counts_cover_with_us_and_elsewhere(age, limit):
    limit = Decimal(limit)
    rich = replace(STANDARD, age=age, income=Decimal("10000000"))
    at = replace(rich, sum_assured=limit - 200000, cover_with_us=Decimal("100000"), cover_elsewhere=Decimal("100000"))
    assert "NON_MEDICAL_LIMIT" not in codes(at)
    above = replace(at, cover_elsewhere=Decimal("101000"))
    finding = next(f for f in evaluate(above).findings if f.code == "NON_MEDICAL_LIMIT")
    assert finding.outcome == REFER and f"{limit:,.0f}" in finding.reason("en")


@pytest.mark.parametrize("age,multiple", [(30, 20), (45, 15), (52, 10)])
def test_income_multiple_by_age_band(age, multiple):
    income = Decimal("50000")
    within = replace(STANDARD, age=age, income=income, sum_assured=income * multiple)
    assert "INCOME_MULTIPLE" not in codes(within)
    assert "INCOME_MULTIPLE" in codes(replace(within, cover_with_us=Decimal("1000")))


def test_no_income_refers_and_a_minors_cover_goes_to_an_underwriter():
    assert "INCOME_MULTIPLE" in codes(replace(STANDARD, income=Decimal(0)))
    assert "INCOME_MULTIPLE" in codes(replace(STANDARD, age=10))


def test_aggregate_cover_above_the_limit_refers():
    big = replace(STANDARD, age=30, income=Decimal("1000000"), sum_assured=Decimal("3000000"))
    assert "AGGREGATE" not in codes(replace(big, cover_with_us=Decimal("2000000")))
    finding = next(f for f in evaluate(replace(big, cover_with_us=Decimal("2001000"))).findings if f.code == "AGGREGATE")
    assert "5,001,000" in finding.reason("en") and "5,001,000" in finding.reason("zh")


def test_a_decline_outranks_referrals_and_every_rule_that_fired_is_kept():
    facts = replace(STANDARD, occupation_class=6, age=58, answers={**NO, "heart": True})
    verdict = evaluate(facts)
    assert verdict.outcome == DECLINE
    assert set(verdict.codes) >= {"OCCUPATION_6", "AGE", "HEALTH_HEART"}
    assert all(f.told("en") and f.told("zh") for f in verdict.findings)


def test_reinstatement_any_yes_goes_to_an_underwriter():
    assert reinstatement_refers({"a": "no", "b": "no"}) is None
    finding = reinstatement_refers({"a": "no", "b": "yes"})
    assert finding.code == "REINSTATEMENT_HEALTH" and finding.outcome == REFER


def test_a_malformed_rulebook_names_its_file(tmp_path):
    bad = tmp_path / "v9.toml"
    bad.write_text('version = 9\n[issue_age]\ncode = "AGE"\noutcome = "maybe"\n', encoding="utf-8")
    with pytest.raises(RulebookError, match="v9.toml"):
        load_rulebook(bad)
