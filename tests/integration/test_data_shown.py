"""What the policy page and the asset sheet show (issue 11): a reduced paid-up policy's
reduced sum, shown and added to the total cover; a lapsed policy's future benefits marked as
paid only if reinstated, or not at all past the window; a policy in grace with the end of its
grace; and demo data that obeys the engine's beneficiary rule."""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from paas.policies.models import Beneficiary, Policy
from portal.demo.seed import seed_demo
from tests.factories import PASSWORD, make_policy, make_policyholder

def _holder(uow, web, email):
    customer, _ = make_policyholder(uow, email=email)
    return customer


def test_a_reduced_paid_up_policy_shows_and_adds_its_reduced_sum(uow, web):
    customer = _holder(uow, web, "paid-up@example.com")
    reduced = make_policy(uow, customer, product="WLPAR", status="paid_up", sum_assured="150000.00", premium="3000.00",
                          issue_date=date(2010, 1, 31), paid_to=date(2018, 1, 31), term_years=None, premium_years=20)
    reduced.paid_up_sum_assured = Decimal("67364.98")
    make_policy(uow, customer, sum_assured="500000.00", paid_to=date(2027, 3, 1))
    uow.commit()
    web.login("paid-up@example.com", PASSWORD)
    sheet = web.text("/")
    assert re.search(r'data-test="total-cover">¥567,364.98<', sheet)  # not 650,000
    assert re.search(rf'data-test="sum-{reduced.policy_number}">¥67,364.98<', sheet) and "减额交清" in sheet
    page = web.text(f"/policies/{reduced.policy_number}")
    assert re.search(r'data-test="sum-assured">¥67,364.98<', page)
    assert re.search(r'data-test="original-sum-assured">[^<]*¥150,000.00', page)


def _lapsed_endowment(uow, customer, lapsed_on: date) -> Policy:
    policy = make_policy(uow, customer, product="ENDOW", status="lapsed", sum_assured="100000.00", premium="9000.00",
                         issue_date=date(2020, 9, 1), paid_to=lapsed_on, term_years=20, premium_years=10)
    policy.status_date = lapsed_on
    return policy


def test_a_lapsed_policy_says_its_future_benefits_are_paid_only_if_reinstated(uow, web):
    customer = _holder(uow, web, "lapsed@example.com")
    policy = _lapsed_endowment(uow, customer, date(2025, 11, 1))  # window open until 1 Nov 2027
    uow.commit()
    web.login("lapsed@example.com", PASSWORD)
    web.client.set_cookie("lang", "en")
    page = web.text(f"/policies/{policy.policy_number}")
    assert 'data-test="benefits-suspended"' in page and "1 Nov 2027" in page
    withheld = re.findall(r'<tr data-test="benefit-withheld">', page)
    assert withheld and page.count("only if reinstated") == len(withheld)
    assert 'data-test="benefits-forfeited"' not in page


def test_a_lapsed_policy_past_its_reinstatement_window_says_no_future_benefit_is_paid(uow, web):
    customer = _holder(uow, web, "forfeited@example.com")
    policy = _lapsed_endowment(uow, customer, date(2023, 9, 1))  # window closed on 1 Sep 2025
    uow.commit()
    web.login("forfeited@example.com", PASSWORD)
    page = web.text(f"/policies/{policy.policy_number}")
    assert 'data-test="benefits-forfeited"' in page and "2025年9月1日" in page and "不会支付" in page
    assert 'data-test="benefit-withheld"' in page and 'data-test="benefits-suspended"' not in page


def test_the_asset_sheet_shows_when_a_policy_in_grace_loses_its_cover(uow, web):
    customer = _holder(uow, web, "in-grace@example.com")
    grace = make_policy(uow, customer, status="grace", mode="monthly", premium="439.16", issue_date=date(2022, 10, 20),
                        paid_to=date(2026, 10, 20))
    fine = make_policy(uow, customer, paid_to=date(2027, 3, 1))
    uow.commit()
    web.login("in-grace@example.com", PASSWORD)
    sheet = web.text("/")
    warning = re.search(rf'data-test="grace-{grace.policy_number}"><strong>([^<]+)<', sheet)
    assert warning and "2026年12月19日" in warning.group(1)  # 60 days after the unpaid 20 Oct premium
    assert f'data-test="grace-{fine.policy_number}"' not in sheet


def test_every_demo_policys_beneficiary_tiers_add_up_to_100(platform, uow):
    seed_demo(platform)
    tiers: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    rows = uow.session.execute(select(Policy.policy_number, Beneficiary.rank, Beneficiary.share)
                               .join(Beneficiary, Beneficiary.policy_id == Policy.id)).all()
    for number, rank, share in rows:
        tiers[(number, rank)] += share
    assert tiers and {key: total for key, total in tiers.items() if total != 100} == {}
