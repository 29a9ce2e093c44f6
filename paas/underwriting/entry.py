"""What an application form carries, and checking it whole at submission: every field at
fault is said at once. A draft keeps whatever was typed (trimmed and bounded), unchecked."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from paas.customers.identity import normalise_resident_id
from paas.errors import N_, InvalidInput
from paas.field_checks import FieldChecks
from paas.money import parse_amount
from paas.products.eligibility import age_last_birthday, check_birth_date
from paas.underwriting.rulebook import Rulebook

BENEFICIARY_ROWS = 3
FAMILY = ("spouse", "child", "parent")
BENEFICIARY_RELATIONS = ("spouse", "child", "parent", "sibling", "other")
PAYMENT_METHODS = ("online", "bank_debit")
BASE_FIELDS = (
    "insured", "insured_name", "insured_gender", "insured_birth_date", "insured_id_number", "insured_relationship",
    "sum_assured", "term", "premium_term", "mode", "occupation_class", "height_cm", "weight_kg", "income",
    "cover_elsewhere", "payment_method", "bank_account", "declare_truth", "consent_data",
    *(f"beneficiary_{i}_{part}" for i in range(1, BENEFICIARY_ROWS + 1) for part in ("name", "relationship", "share")),
)
TEXT_MAX = 60

ANSWER_YES_NO = N_("Answer this question with yes or no.")
CHOOSE_INSURED = N_("Choose who is insured: you, or a member of your family.")
FAMILY_NAME = N_("Give the insured's name.")
CHOOSE_RELATIONSHIP = N_("Choose how the insured is related to you.")
CHOOSE_GENDER = N_("Choose male or female.")
BIRTH_DATE = N_("Give the insured's date of birth as YYYY-MM-DD.")
ID_BIRTH_MISMATCH = N_("The ID number's birth date is not the date of birth given.")
OCCUPATION = N_("Choose an occupation class from the table.")
HEIGHT = N_("Give the height in centimetres (50 to 250).")
WEIGHT = N_("Give the weight in kilograms (10 to 300).")
INCOME = N_("Give the yearly income in yuan (0 if none).")
ELSEWHERE = N_("Give the cover held with other insurers in yuan (0 if none).")
SHARES = N_("The beneficiaries' shares must add up to 100%%; they add up to %(total)s%%.")
BENEFICIARY_ROW = N_("Give each beneficiary a name, a relationship and a share from 1 to 100.")
PAYMENT_METHOD = N_("Choose how renewal premiums are paid.")
BANK_ACCOUNT = N_("Choose one of your bank accounts for the direct debit.")
DECLARE = N_("Confirm the declaration to submit the application.")
CONSENT = N_("Give your consent to submit the application.")


def draft_values(raw: Mapping[str, Any], book: Rulebook, product: str) -> dict[str, str]:
    names = (*BASE_FIELDS, *(f"q_{q.id}" for q in book.questions_for(product)))
    values = {name: " ".join(str(raw.get(name) or "").split())[:TEXT_MAX] for name in names}
    values["insured"] = values["insured"] or "self"
    return values


@dataclass(frozen=True)
class Insured:
    is_owner: bool
    name: str
    gender: str
    birth_date: date
    id_number: str | None  # a family member's; the owner's is on file
    relationship: str  # to the owner


@dataclass(frozen=True)
class CheckedEntry:
    insured: Insured
    age: int
    answers: dict[str, bool]
    occupation_class: int
    height_cm: int
    weight_kg: Decimal
    income: Decimal
    cover_elsewhere: Decimal
    beneficiaries: tuple[tuple[str, str, Decimal], ...]
    payment_method: str
    bank_account: int | None


def _whole(text: str, low: int, high: int, message: str, field: str) -> int:
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise InvalidInput(message, field=field)
    return int(text)


def _decimal(text: str, low: Decimal, high: Decimal, message: str, field: str) -> Decimal:
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise InvalidInput(message, field=field) from None
    if not value.is_finite() or not low <= value <= high:
        raise InvalidInput(message, field=field)
    return value


def _amount(text: str, message: str, field: str) -> Decimal:
    if text in ("", "0"):
        return Decimal("0.00")
    try:
        return parse_amount(text, field=field)
    except InvalidInput:
        raise InvalidInput(message, field=field) from None


def _birth(text: str, today: date) -> date:
    try:
        born = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(BIRTH_DATE, field="insured_birth_date") from None
    check_birth_date(born, today)
    return born


def _family_id(text: str, born: date | None) -> str:
    try:
        number = normalise_resident_id(text)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="insured_id_number", **error.params) from None
    if born is not None and number[6:14] != born.strftime("%Y%m%d"):
        raise InvalidInput(ID_BIRTH_MISMATCH, field="insured_id_number")
    return number


def check_insured(values: Mapping[str, str], owner, today: date, checks: FieldChecks) -> Insured | None:
    if values.get("insured") == "self":
        return Insured(True, owner.name, owner.gender, owner.birth_date, None, "self")
    if values.get("insured") != "family":
        checks.refuse(CHOOSE_INSURED, "insured")
        return None
    name = values.get("insured_name", "")
    if not name:
        checks.refuse(FAMILY_NAME, "insured_name")
    relationship = values.get("insured_relationship", "")
    if relationship not in FAMILY:
        checks.refuse(CHOOSE_RELATIONSHIP, "insured_relationship")
    gender = values.get("insured_gender", "")
    if gender not in ("M", "F"):
        checks.refuse(CHOOSE_GENDER, "insured_gender")
    born = checks(_birth, values.get("insured_birth_date", ""), today)
    number = checks(_family_id, values.get("insured_id_number", ""), born)
    if checks.ok and born is not None and number is not None:
        return Insured(False, name, gender, born, number, relationship)
    return None


def check_entry(values: Mapping[str, str], book: Rulebook, product: str, owner, bank_accounts: int,
                today: date) -> CheckedEntry:
    checks = FieldChecks()
    insured = check_insured(values, owner, today, checks)
    answers = {}
    for question in book.questions_for(product):
        answer = values.get(f"q_{question.id}")
        if answer not in ("yes", "no"):
            checks.refuse(ANSWER_YES_NO, f"q_{question.id}")
        answers[question.id] = answer == "yes"
    occupation = checks(_whole, values.get("occupation_class", ""), 1, max(book.occupations), OCCUPATION,
                        "occupation_class")
    height = checks(_whole, values.get("height_cm", ""), 50, 250, HEIGHT, "height_cm")
    weight = checks(_decimal, values.get("weight_kg", ""), Decimal(10), Decimal(300), WEIGHT, "weight_kg")
    income = checks(_amount, values.get("income", ""), INCOME, "income")
    elsewhere = checks(_amount, values.get("cover_elsewhere", ""), ELSEWHERE, "cover_elsewhere")
    beneficiaries = checks(_beneficiaries, values)
    method = values.get("payment_method", "")
    account = None
    if method not in PAYMENT_METHODS:
        checks.refuse(PAYMENT_METHOD, "payment_method")
    elif method == "bank_debit":
        position = values.get("bank_account", "")
        if not (position.isascii() and position.isdigit()) or not 1 <= int(position) <= bank_accounts:
            checks.refuse(BANK_ACCOUNT, "bank_account")
        else:
            account = int(position)
    if values.get("declare_truth") != "yes":
        checks.refuse(DECLARE, "declare_truth")
    if values.get("consent_data") != "yes":
        checks.refuse(CONSENT, "consent_data")
    checks.done()
    assert insured is not None and occupation is not None and height is not None and weight is not None
    return CheckedEntry(insured, age_last_birthday(insured.birth_date, today), answers, occupation, height, weight,
                        income or Decimal(0), elsewhere or Decimal(0), beneficiaries or (), method, account)


def _beneficiaries(values: Mapping[str, str]) -> tuple[tuple[str, str, Decimal], ...]:
    """Empty: the insured's legal heirs (法定继承人). Otherwise rows whose shares make 100%."""
    rows = []
    for i in range(1, BENEFICIARY_ROWS + 1):
        name, relation, share = (values.get(f"beneficiary_{i}_{p}", "") for p in ("name", "relationship", "share"))
        if not (name or share):
            continue
        if not name or relation not in BENEFICIARY_RELATIONS or not (share.isascii() and share.isdigit()) \
                or not 1 <= int(share) <= 100:
            raise InvalidInput(BENEFICIARY_ROW, field=f"beneficiary_{i}_name")
        rows.append((name, relation, Decimal(share)))
    total = sum((share for _, _, share in rows), Decimal(0))
    if rows and total != 100:
        raise InvalidInput(SHARES, field="beneficiary_1_share", total=f"{total:.0f}")
    return tuple(rows)
