"""Beneficiaries of a generated policy: one or two, whose shares sum to 100 - the insured's
household first, then family members who are not customers (a spouse, a child, a parent)."""
from __future__ import annotations

import random
from datetime import date

from portal.demo.bulk.copy_text import NULL
from paas.policies.schedule import months_between
from portal.demo.bulk.people import People, relationship
from portal.demo.bulk.vocabulary import SURNAME_TABLE, given_name

BENEFICIARY_COLUMNS = ("policy_id", "name", "relationship_to_insured", "id_number_cipher", "rank", "share")
# About a third of the policies name two beneficiaries; the first then gets one of these shares.
_TWO_BENEFICIARIES = 0.35
_FIRST_SHARES = (50, 60, 70, 80)


def write_beneficiaries(
    out: list[str], rng: random.Random, people: People, insured: int, insured_born: date, today: date, policy_id: int
) -> None:
    """Append to ``out`` the COPY text lines (first rank, no ID number) of the
    beneficiaries of ``policy_id``."""
    r = rng.random
    candidates = _household_of(people, insured)
    if len(candidates) < 2:
        candidates.extend(_relatives(rng, people, insured, insured_born, today, candidates))
    if r() < _TWO_BENEFICIARIES and len(candidates) >= 2:
        first_share = _FIRST_SHARES[int(r() * 4)]
        (name, relation), (name2, relation2) = candidates[:2]
        out.append(f"{policy_id}\t{name}\t{relation}\t{NULL}\t1\t{first_share}.00\n")
        out.append(f"{policy_id}\t{name2}\t{relation2}\t{NULL}\t1\t{100 - first_share}.00\n")
    else:
        name, relation = candidates[0]
        out.append(f"{policy_id}\t{name}\t{relation}\t{NULL}\t1\t100.00\n")


def _household_of(people: People, insured: int) -> list[tuple[str, str]]:
    """(name, relationship to the insured) of the others in the insured's household."""
    first = people.household[insured]
    role = people.role
    others = []
    for member in range(first, first + people.household_size[insured]):
        if member != insured:
            others.append((people.names[member], relationship(role[member], role[insured])))
    return others


def _relatives(
    rng: random.Random, people: People, insured: int, insured_born: date, today: date, known: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Family members who are not customers, in random order: a spouse (if old enough and
    none is known), a child (if old enough) and a parent (if none is known)."""
    r = rng.random
    is_male = people.male[insured]
    age_now = months_between(insured_born, today) // 12
    extra = []
    if age_now >= 22 and not any(rel == "spouse" for _n, rel in known):
        extra.append((SURNAME_TABLE[int(r() * len(SURNAME_TABLE))] + given_name(r, not is_male), "spouse"))
    if age_now >= 26:
        # children take the father's surname
        child_surname = people.surname(insured) if is_male else SURNAME_TABLE[int(r() * len(SURNAME_TABLE))]
        extra.append((child_surname + given_name(r, r() < 0.5), "child"))
    if not any(rel == "parent" for _n, rel in known):
        extra.append((people.surname(insured) + given_name(r, True), "parent"))
    rng.shuffle(extra)
    return extra
