"""The generated people: households of one to three (a couple, an adult child or a parent),
with names, ages and resident ID numbers that are unique by construction and whose sequence
digit matches the gender. Generated in the main process, before any row: the policy
generator needs to know everyone."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from paas.customers.identity import resident_id_check_digit
from paas.policies.schedule import add_months
from portal.demo.bulk.vocabulary import REGIONS, SURNAME_TABLE, given_name, weighted_table

# Age of customers today: (from, to inclusive, weight).
AGE_BANDS = ((18, 24, 8), (25, 34, 25), (35, 44, 28), (45, 54, 22), (55, 64, 12), (65, 70, 5))
_AGE_TABLE = weighted_table(((lo, hi), w) for lo, hi, w in AGE_BANDS)

# Household roles: how the people of one household are related.
PRIMARY, SPOUSE, CHILD, PARENT = 0, 1, 2, 3

# A day and place has 499 sequences per gender pair (001..998, odd for men, even for women).
_SEQUENCES_PER_DAY = 499


@dataclass
class People:
    """Compact per-customer facts the policy generator needs, indexed 0..count-1 (compact
    because forked workers share them and 400,000 objects would not be)."""

    names: list[str] = field(default_factory=list)
    surname_len: bytearray = field(default_factory=bytearray)
    male: bytearray = field(default_factory=bytearray)
    born: list[int] = field(default_factory=list)  # date ordinals
    household: list[int] = field(default_factory=list)  # index of the household's first member
    household_size: bytearray = field(default_factory=bytearray)
    role: bytearray = field(default_factory=bytearray)
    sequences: list[int] = field(default_factory=list)  # the ID number's three-digit sequence
    regions: bytearray = field(default_factory=bytearray)  # index into REGIONS of the division code

    def id_number(self, i: int) -> str:
        first17 = f"{REGIONS[self.regions[i]][0]}{date.fromordinal(self.born[i]):%Y%m%d}{self.sequences[i]:03d}"
        return first17 + resident_id_check_digit(first17)

    def surname(self, i: int) -> str:
        return self.names[i][: self.surname_len[i]]


def relationship(of: int, to: int) -> str:
    """How household role ``of`` is related to role ``to`` (``of`` is ``to``'s ...)."""
    if {of, to} == {PRIMARY, SPOUSE}:
        return "spouse"
    if of == CHILD and to in (PRIMARY, SPOUSE):
        return "child"
    if to == CHILD and of in (PRIMARY, SPOUSE):
        return "parent"
    if of == PARENT and to == PRIMARY:
        return "parent"
    if of == PRIMARY and to == PARENT:
        return "child"
    return "other"


def generate_people(count: int, seed: str, today: date, reserved: set[tuple[str, int, int]]) -> People:
    """``count`` people in households. ``reserved``: ID numbers already taken, as
    (division code, birth date ordinal, sequence); the rest are unique by construction."""
    households = _Households(seed, today, reserved)
    i = 0
    while i < count:
        i += households.add(i, count - i)
    return households.people


class _Households:
    """Draws households one after another from a single random stream."""

    def __init__(self, seed: str, today: date, reserved: set[tuple[str, int, int]]) -> None:
        self.r = random.Random(f"{seed}:people").random
        self.today = today
        self.reserved = reserved
        self.oldest = add_months(today, -12 * 71).toordinal() + 1  # the day after one turns 71
        self.youngest = add_months(today, -12 * 18).toordinal() - 31  # 18 for a month at least
        self.taken: dict[tuple[int, int], int] = {}  # (region, birth ordinal) -> sequences used
        self.people = People()

    def add(self, start: int, room: int) -> int:
        """The household whose first member is person ``start``; returns its size."""
        r = self.r
        x = r()
        size = min(1 if x < 0.42 else 2 if x < 0.84 else 3, room)
        lo, hi = _AGE_TABLE[int(r() * len(_AGE_TABLE))]
        age = lo + int(r() * (hi - lo + 1))
        is_male = r() < 0.5
        surname = SURNAME_TABLE[int(r() * len(SURNAME_TABLE))]
        self._person(surname, is_male, self._born_aged(age), start, size, PRIMARY)
        husband_surname = surname if is_male else None
        if size >= 2:
            husband_surname = self._add_spouse(age, is_male, husband_surname, start, size)
        if size >= 3:
            self._add_child_or_parent(age, surname, husband_surname, start, size)
        return size

    def _add_spouse(self, age: int, is_male: bool, husband_surname: str | None, start: int, size: int) -> str:
        """Adds the primary's spouse; returns the husband's surname (children take it)."""
        r = self.r
        # husbands are a couple of years older, give or take three
        spouse_age = min(70, max(18, age + (-2 if is_male else 2) + int(r() * 7) - 3))
        spouse_surname = SURNAME_TABLE[int(r() * len(SURNAME_TABLE))]
        self._person(spouse_surname, not is_male, self._born_aged(spouse_age), start, size, SPOUSE)
        return husband_surname if husband_surname is not None else spouse_surname

    def _add_child_or_parent(self, age: int, surname: str, husband_surname: str | None, start: int, size: int) -> None:
        r = self.r
        is_male = r() < 0.5
        if age >= 40 and (age > 48 or r() < 0.5):  # an adult child living at home
            child_age = 18 + int(r() * (age - 22 - 18 + 1))
            self._person(husband_surname or surname, is_male, self._born_aged(child_age), start, size, CHILD)
        else:  # one of the primary's parents: the father shares the primary's surname
            parent_age = min(70, age + 22 + int(r() * 12))
            parent_surname = surname if is_male else SURNAME_TABLE[int(r() * len(SURNAME_TABLE))]
            self._person(parent_surname, is_male, self._born_aged(parent_age), start, size, PARENT)

    def _born_aged(self, age_years: int) -> int:
        """The birth date (ordinal) of someone aged exactly ``age_years`` today: within the
        year before, and between 18 and 70 whatever the arithmetic says."""
        latest = add_months(self.today, -12 * age_years).toordinal()
        return min(max(latest - int(self.r() * 365), self.oldest), self.youngest)

    def _person(self, surname: str, is_male: bool, birth: int, start: int, size: int, role: int) -> None:
        people = self.people
        # relatives were often born in the same place as the primary
        region = people.regions[start] if role != PRIMARY and self.r() < 0.4 else int(self.r() * len(REGIONS))
        birth, sequence = self._free_sequence(region, birth, is_male)
        people.names.append(surname + given_name(self.r, is_male))
        people.surname_len.append(len(surname))
        people.male.append(1 if is_male else 0)
        people.born.append(birth)
        people.household.append(start)
        people.household_size.append(size)
        people.role.append(role)
        people.sequences.append(sequence)
        people.regions.append(region)

    def _free_sequence(self, region: int, birth: int, is_male: bool) -> tuple[int, int]:
        """The next unused ID sequence for that place and day (odd for men, even for women),
        moving the birthday by a day when all are used; returns (birth, sequence)."""
        parity = 1 if is_male else 0
        while True:
            key = (region, birth)
            used = self.taken.get(key, 0)
            if used >= _SEQUENCES_PER_DAY:
                birth = birth - 1 if birth > self.oldest else birth + 1
                continue
            self.taken[key] = used + 1
            sequence = 2 * used + 2 - parity  # 001..998
            if not self.reserved or (REGIONS[region][0], birth, sequence) not in self.reserved:
                return birth, sequence
