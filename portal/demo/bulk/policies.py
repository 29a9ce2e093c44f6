"""Policy rows with their beneficiaries and premiums paid. Each policy is drawn in steps from
one random stream per batch - parties, status, cover, dates, amounts, beneficiaries,
premiums - and every step draws in a fixed order, so a batch is the same wherever it runs."""
from __future__ import annotations

import random
from collections.abc import Callable

from paas.numbering import POLICY_NUMBER
from portal.demo.bulk.beneficiaries import write_beneficiaries
from portal.demo.bulk.copy_text import NULL, encode, money
from portal.demo.bulk.cover import choose_cover, choose_product
from portal.demo.bulk.lifecycle import STATUS_TABLE, choose_lifecycle, issue_window
from paas.policies.schedule import add_months, months_between
from portal.demo.bulk.payments import write_payments
from portal.demo.bulk.people import People
from portal.demo.bulk.plan import current_plan
from portal.demo.bulk.pricing import price

POLICY_COLUMNS = (
    "id", "policy_number", "product_id", "owner_id", "insured_id", "status", "issue_date", "expiry_date",
    "sum_assured", "modal_premium", "premium_mode", "premium_end_date", "paid_to_date", "currency", "status_date",
    "created_at", "version",
)
# Most policies insure the owner's own life; the others preferably a member of the owner's
# household (the owner then looked for among a few customers).
_OWN_LIFE_SHARE = 0.7
_HOUSEHOLD_TRIES = 4
# Issue dates go back this far.
_HISTORY_MONTHS = 180


def policy_rows(span: tuple[int, int]) -> tuple[bytes, bytes, bytes, int, int]:
    """COPY text for policies ``span[0]`` to ``span[1] - 1`` with their beneficiaries and
    premiums; returns the three texts and the number of beneficiary and premium rows."""
    plan = current_plan()
    start, stop = span
    rng = random.Random(f"{plan.seed}:policies:{start}")
    r = rng.random
    people = plan.people
    today = plan.today
    oldest_issue = add_months(today, -_HISTORY_MONTHS)
    customer_id = plan.customer_base_id + 1  # of person 0
    first_policy_id, first_seq = plan.policy_base_id + 1, plan.first_policy_seq
    product_ids, now = plan.product_ids, plan.now_text
    policies: list[str] = []
    beneficiaries: list[str] = []
    premiums: list[str] = []
    for j in range(start, stop):
        owner, insured = _parties(r, people)
        status = STATUS_TABLE[int(r() * len(STATUS_TABLE))]
        code = choose_product(r, status)
        cover = choose_cover(r, code, status)
        insured, insured_born, earliest, latest = issue_window(people, owner, insured, code, today, oldest_issue)
        life = choose_lifecycle(r, status, cover, earliest, latest, today)
        age = months_between(insured_born, life.issue) // 12
        sum_assured, modal_fen = price(r, cover, age, people.male[insured])
        modal = money(modal_fen)
        policy_id = first_policy_id + j
        expiry = life.expiry
        policies.append(
            f"{policy_id}\t{POLICY_NUMBER.format(first_seq + j)}\t{product_ids[code]}\t"
            f"{customer_id + owner}\t{customer_id + insured}\t{life.status}\t{life.issue.isoformat()}\t"
            f"{expiry.isoformat() if expiry else NULL}\t{sum_assured}.00\t{modal}\t{cover.mode}\t"
            f"{life.premium_end.isoformat()}\t{life.paid_to.isoformat()}\tCNY\t{life.status_date.isoformat()}\t"
            f"{now}\t1\n"
        )
        write_beneficiaries(beneficiaries, rng, people, insured, insured_born, today, policy_id)
        write_payments(premiums, r, policy_id, life, cover.step, modal, today)
    return encode(policies), encode(beneficiaries), encode(premiums), len(beneficiaries), len(premiums)


def _parties(r: Callable[[], float], people: People) -> tuple[int, int]:
    """(owner, insured): mostly one's own life; otherwise a relative's or, when the owner
    found has no household, the life of the first customer looked at."""
    count = len(people.names)
    first_look = owner = int(r() * count)
    if r() < _OWN_LIFE_SHARE:
        return owner, owner
    household, household_size = people.household, people.household_size
    for _attempt in range(_HOUSEHOLD_TRIES):
        if household_size[owner] > 1:
            break
        owner = int(r() * count)
    first, size = household[owner], household_size[owner]
    if size > 1:
        return owner, first + (owner - first + 1 + int(r() * (size - 1))) % size
    insured = first_look
    while insured == owner and count > 1:
        insured = int(r() * count)
    return owner, insured
