"""The rule book: one TOML file per version under ``rulebook/``, read once, checked whole at
start-up (a malformed file names itself and its key rather than deciding a case wrongly)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

RULEBOOK_DIR = Path(__file__).with_name("rulebook")
OUTCOMES = ("accept", "refer", "decline")


class RulebookError(ValueError):
    pass


@dataclass(frozen=True)
class Words:
    zh: str
    en: str

    def in_(self, locale: str, **params: Any) -> str:
        text = self.en if (locale or "").startswith("en") else self.zh
        return text % params if params else text


@dataclass(frozen=True)
class Rule:
    code: str
    outcome: str  # accept / refer / decline
    reason: Words  # for the underwriter
    told: Words  # for the applicant


@dataclass(frozen=True)
class Band:
    upper: Decimal | None  # BMI below this, or age up to it; None: no bound
    rule: Rule
    value: Decimal = Decimal(0)  # the band's limit or multiple


@dataclass(frozen=True)
class Question:
    id: str
    products: frozenset[str]
    text: Words
    rule: Rule

    def asked_on(self, product: str) -> bool:
        return "*" in self.products or product in self.products


@dataclass(frozen=True)
class OccupationClass:
    number: int
    name: Words
    rule: Rule | None


@dataclass(frozen=True)
class Rulebook:
    version: int
    issue_age: Rule
    straight_through_max: dict[str, int]
    bmi: tuple[Band, ...]
    health: tuple[Question, ...]
    occupations: dict[int, OccupationClass]
    non_medical: tuple[Band, ...]
    non_medical_rule: Rule
    income: tuple[Band, ...]
    income_rule: Rule
    aggregate_limit: Decimal
    aggregate: Rule
    reinstatement: Rule

    def questions_for(self, product: str) -> tuple[Question, ...]:
        return tuple(q for q in self.health if q.asked_on(product))


def _words(table: dict, key: str, where: str) -> Words:
    value = table.get(key)
    if not isinstance(value, dict) or not value.get("zh") or not value.get("en"):
        raise RulebookError(f"{where}: {key} needs zh and en")
    return Words(value["zh"], value["en"])


def _rule(table: dict, where: str) -> Rule:
    outcome = table.get("outcome")
    if outcome not in OUTCOMES or not table.get("code"):
        raise RulebookError(f"{where}: needs a code and an outcome of {', '.join(OUTCOMES)}")
    if outcome == "accept":
        return Rule(table["code"], outcome, Words("", ""), Words("", ""))
    return Rule(table["code"], outcome, _words(table, "reason", where), _words(table, "told", where))


def load_rulebook(path: Path) -> Rulebook:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        name = path.name
        bmi = tuple(Band(Decimal(r["below"]) if "below" in r else None, _rule(r, f"{name} bmi {i}"))
                    for i, r in enumerate(data["bmi"]))
        if bmi[-1].upper is not None:
            raise RulebookError(f"{name}: the last BMI band must have no upper bound")
        health = tuple(Question(q["id"], frozenset(q["products"]), _words(q, "question", f"{name} health {q['id']}"),
                                _rule(q, f"{name} health {q['id']}")) for q in data["health"])
        occupations = {o["class"]: OccupationClass(o["class"], _words(o, "name", f"{name} occupation"),
                                                   _rule(o, f"{name} occupation {o['class']}") if "outcome" in o else None)
                       for o in data["occupation"]}
        nm, inc, agg = data["non_medical"], data["income_multiple"], data["aggregate"]
        stm = data["issue_age"]["straight_through_max"]
        return Rulebook(
            version=int(data["version"]),
            issue_age=_rule(data["issue_age"], f"{name} issue_age"),
            straight_through_max={code: int(age) for code, age in stm.items()},
            bmi=bmi, health=health, occupations=occupations,
            non_medical=tuple(Band(Decimal(b["max_age"]), None, Decimal(b["limit"])) for b in nm["bands"]),  # type: ignore[arg-type]
            non_medical_rule=_rule(nm, f"{name} non_medical"),
            income=tuple(Band(Decimal(b["max_age"]), None, Decimal(b["multiple"])) for b in inc["bands"]),  # type: ignore[arg-type]
            income_rule=_rule(inc, f"{name} income_multiple"),
            aggregate_limit=Decimal(agg["limit"]), aggregate=_rule(agg, f"{name} aggregate"),
            reinstatement=_rule(data["reinstatement"], f"{name} reinstatement"),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        if isinstance(exc, RulebookError):
            raise
        raise RulebookError(f"{path.name}: {exc!r}") from exc


@cache
def rulebooks() -> dict[int, Rulebook]:
    books = {}
    for path in sorted(RULEBOOK_DIR.glob("*.toml")):
        book = load_rulebook(path)
        if book.version in books:
            raise RulebookError(f"{path.name}: version {book.version} is defined twice")
        books[book.version] = book
    return books


def current() -> Rulebook:
    books = rulebooks()
    return books[max(books)]


def version(number: int) -> Rulebook:
    return rulebooks()[number]
