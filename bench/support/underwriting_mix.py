"""The demo mix of applicants for the underwriting benchmark: a seeded draw modelled on a
retail book of new business — mostly healthy office and field workers of working age asking
for cover in proportion to their income, with the share of health "yes" answers, high BMIs,
manual occupations, older applicants and large sums a real intake has."""
from __future__ import annotations

import random
from decimal import Decimal

from paas.underwriting.facts import Facts
from paas.underwriting.rulebook import current

PRODUCTS = (("TERM", 50), ("CI", 25), ("ENDOW", 15), ("WLPAR", 10))
YES_RATE = 0.02  # per question: a "yes" on one of six questions in about one application in nine


def _weighted(rng: random.Random, table) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def demo_facts(count: int, seed: int = 15) -> list[Facts]:
    rng = random.Random(seed)
    book = current()
    facts = []
    for _ in range(count):
        product = _weighted(rng, PRODUCTS)
        age = max(18, min(60, int(rng.gauss(36, 9))))
        height = int(rng.gauss(168, 8))
        bmi = rng.gauss(23.0, 2.8)
        weight = Decimal(str(round(bmi * (height / 100) ** 2, 1)))
        income = Decimal(rng.choice((60_000, 90_000, 120_000, 180_000, 250_000, 400_000)))
        multiple = rng.choice((3, 5, 8, 10, 12))
        sum_assured = min(Decimal(3_000_000), (income * multiple // 10_000) * 10_000 or Decimal(100_000))
        occupation = _weighted(rng, ((1, 55), (2, 25), (3, 13), (4, 5), (5, 1.5), (6, 0.5)))
        answers = {q.id: rng.random() < YES_RATE for q in book.questions_for(product)}
        with_us = Decimal(rng.choice((0, 0, 0, 0, 100_000, 300_000, 500_000)))
        elsewhere = Decimal(rng.choice((0, 0, 0, 200_000, 500_000)))
        facts.append(Facts(product, age, height, weight, occupation, sum_assured, income, with_us, elsewhere, answers))
    return facts
