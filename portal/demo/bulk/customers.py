"""Customer rows: the generated people with an encrypted ID number, a unique mobile, now and
then an e-mail address and usually a home address. Bulk customers get no login."""
from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date

from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.numbering import CUSTOMER_NUMBER
from portal.demo.bulk.copy_text import NULL, encode
from portal.demo.bulk.plan import current_plan
from portal.demo.bulk.vocabulary import (
    EMAIL_DOMAINS,
    ESTATE_NAMES,
    ESTATES,
    GIVEN_PINYIN,
    REGIONS,
    ROADS,
    SURNAME_PINYIN,
)

CUSTOMER_COLUMNS = (
    "id", "customer_number", "name", "gender", "birth_date", "id_type", "id_number_cipher", "id_number_index",
    "mobile", "email", "address", "created_at",
)

# Mobile number blocks in use (every number under these is a valid CN mobile for libphonenumber).
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183",
    "184", "185", "186", "187", "188", "189", "191", "198", "199",
)
MOBILE_SPACE = len(MOBILE_PREFIXES) * 10**8


def mobile_permutation(seed: str) -> tuple[int, int]:
    """(a, b) such that customer number n gets mobile (a * n + b) mod MOBILE_SPACE: with a
    prime to the space this is a permutation, so mobiles are unique without a lookup."""
    rng = random.Random(f"{seed}:setup")
    a = rng.randrange(10**8, MOBILE_SPACE)
    while math.gcd(a, MOBILE_SPACE) != 1:
        a += 1
    return a, rng.randrange(MOBILE_SPACE)


def customer_rows(span: tuple[int, int]) -> bytes:
    """COPY text for customers ``span[0]`` to ``span[1] - 1``."""
    plan = current_plan()
    start, stop = span
    people = plan.people
    r = random.Random(f"{plan.seed}:customers:{start}").random
    encrypt = plan.keyring.encrypt
    blind_index = plan.keyring.blind_index
    now = plan.now_text
    a, b, reserved = plan.mobile_a, plan.mobile_b, plan.reserved_mobiles
    first_id, first_seq = plan.customer_base_id + 1, plan.first_customer_seq
    out = []
    for i in range(start, stop):
        seq = first_seq + i
        name = people.names[i]
        number = people.id_number(i)
        mobile = _mobile(seq, a, b, reserved)
        email = _email(r, name, people.surname_len[i], seq)
        address = _address(r, people.regions[people.household[i]])
        out.append(
            f"{first_id + i}\t{CUSTOMER_NUMBER.format(seq)}\t{name}\t"
            f"{'M' if people.male[i] else 'F'}\t"
            f"{date.fromordinal(people.born[i]).isoformat()}\tresident_id\t"
            f"{encrypt(number, context=ID_NUMBER_CONTEXT)}\t{blind_index(number, context=ID_NUMBER_CONTEXT)}\t"
            f"{mobile}\t{email}\t{address}\t{now}\n"
        )
    return encode(out)


def _mobile(seq: int, a: int, b: int, reserved: frozenset[str]) -> str:
    """The mobile of customer number ``seq``; none if it is one already in use."""
    y = (a * seq + b) % MOBILE_SPACE
    mobile = f"+86{MOBILE_PREFIXES[y // 10**8]}{y % 10**8:08d}"
    return NULL if mobile in reserved else mobile


def _email(r: Callable[[], float], name: str, surname_len: int, seq: int) -> str:
    """One customer in ten has an e-mail address: given name and surname in pinyin, made
    unique by the customer number."""
    if r() >= 0.1:
        return NULL
    given, surname = name[surname_len:], name[:surname_len]
    local = "".join(GIVEN_PINYIN.get(ch, "x") for ch in given) + "." + SURNAME_PINYIN.get(surname, "x")
    return f"{local}{seq}@{EMAIL_DOMAINS[int(r() * len(EMAIL_DOMAINS))]}"


def _address(r: Callable[[], float], household_region: int) -> str:  # index into REGIONS
    """Nineteen in twenty have a home address, mostly where their household comes from:
    a street number with a building and flat, or a housing estate."""
    if r() >= 0.95:
        return NULL
    home = REGIONS[household_region] if r() < 0.7 else REGIONS[int(r() * len(REGIONS))]
    road = ROADS[int(r() * len(ROADS))]
    if r() < 0.5:
        return (
            f"{home[1]}{home[2]}{road}{1 + int(r() * 999)}号{1 + int(r() * 30)}栋"
            f"{1 + int(r() * 4)}单元{1 + int(r() * 32)}{1 + int(r() * 4):02d}室"
        )
    estate = ESTATE_NAMES[int(r() * len(ESTATE_NAMES))] + ESTATES[int(r() * len(ESTATES))]
    return (
        f"{home[1]}{home[2]}{road}{1 + int(r() * 999)}号{estate}{1 + int(r() * 20)}号楼"
        f"{1 + int(r() * 28)}0{1 + int(r() * 6)}室"
    )
