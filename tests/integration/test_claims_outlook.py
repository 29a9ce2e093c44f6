"""What a claimant and an adjuster see beyond the claim itself: the steps ahead with the dates
the law sets, how the benefit is made up, the insured person on the adjuster's desk, removing
a document sent by mistake, large payouts confirmed before they go, and claims statistics."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from paas.audit.models import AuditEntry
from paas.claims import adjusting, reporting
from paas.claims.statistics import claim_statistics
from paas.documents.models import Document
from paas.errors import InvalidInput, NotPermitted
from paas.policies.ledger import credit
from paas.security.sessions import principal_of
from tests.claims_support import PDF, count, make_claimant, payments, staff_browser
from tests.factories import PASSWORD, make_customer, make_policy, make_policyholder, make_staff
from tests.integration.test_claims_web import _reported, upload
from tests.integration.test_external_accounts_api import Api


def _death_claim(uow, who, policy):
    claim = reporting.report(uow, who, policy.policy_number, kind="death", incident_date=date(2026, 11, 1),
                             facts="The insured died in hospital after a short illness.", claimant_name="",
                             bank_account="1")
    uow.commit()
    return claim


@pytest.fixture
def whole_life(uow):
    """A whole-life policy with dividends held and a loan: its death benefit has four lines."""
    claimant = make_claimant(uow)
    credit(uow, claimant.whole_life.id, "dividends", "credit", Decimal("1234.56"), date(2025, 5, 1), reference="d1")
    uow.commit()
    return claimant


def test_the_claimant_sees_the_steps_ahead_and_how_the_benefit_is_made_up(app, uow, clock, web, whole_life):
    web.login(whole_life.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    claim = _death_claim(uow, principal_of(whole_life.account), whole_life.whole_life)
    page = web.text(f"/claims/{claim.reference}")
    outlook = re.search(r'data-test="outlook">(.*?)</section>', page, re.S).group(1)
    assert "Waiting for your documents" in outlook and "Insurance Law, article 23" in outlook
    breakdown = re.search(r'data-test="breakdown">(.*?)</dl>', outlook, re.S).group(1)
    assert "¥300,000.00" in breakdown and "+ ¥1,234.56" in breakdown
    assert re.search(r'data-test="breakdown-total"><strong>¥301,234.56<', outlook)
    for code in reporting.REQUIRED["death"]:
        reporting.add_document(uow, principal_of(whole_life.account), claim.reference, document_type=code,
                               filename=f"{code}.pdf", data=PDF)
    uow.commit()
    page = web.text(f"/claims/{claim.reference}")
    # Every document in on 27 Nov 2026: the decision is due 30 days later at the latest.
    assert "Done on 27 Nov 2026" in page or "Done on 2026-11-27" in page
    assert re.search(r'data-test="step-due">By (27 Dec 2026|2026-12-27) at the latest', page)


def test_a_decided_claim_shows_when_each_step_was_done_and_no_estimate(app, uow, clock, web, whole_life):
    who = principal_of(whole_life.account)
    claim = _death_claim(uow, who, whole_life.whole_life)
    for code in reporting.REQUIRED["death"]:
        reporting.add_document(uow, who, claim.reference, document_type=code, filename=f"{code}.pdf", data=PDF)
    staff = principal_of(make_staff(uow, role="adjuster", level=2).account)
    adjusting.decline(uow, staff, claim.reference, "The policy excludes this cause of death.")
    uow.commit()
    web.login(whole_life.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    outlook = re.search(r'data-test="outlook">(.*?)</section>', web.text(f"/claims/{claim.reference}"), re.S).group(1)
    assert outlook.count('data-test="step-done"') == 2  # documents and decision; a decline pays nothing
    assert "Payment into your account" not in outlook and 'data-test="breakdown"' not in outlook


def test_the_adjuster_sees_the_insured_person_beside_the_owner(app, uow, clock):
    owner, account = make_policyholder(uow, email="parent@example.com", mobile="+8613700000011")
    child = make_customer(uow, name="王小明", born=date(2010, 6, 1))
    from paas.customers.registry import add_bank_account

    add_bank_account(uow, owner, bank_name="中国银行", account_number="6217000011112222444")
    policy = make_policy(uow, owner, insured=child, product="WLPAR", term_years=None, sum_assured="100000.00",
                         issue_date=date(2018, 5, 1), paid_to=date(2027, 5, 1))
    uow.commit()
    claim = _death_claim(uow, principal_of(account), policy)
    adjuster, _ = staff_browser(app, uow, clock)
    page = adjuster.text(f"/console/claims/{claim.reference}")
    insured = re.search(r'data-test="insured">(.*?)</dd>', page, re.S).group(1)
    assert "王小明" in insured and child.customer_number in insured
    assert owner.name in page


def test_a_claimant_removes_a_document_sent_by_mistake_until_the_claim_is_decided(app, uow, clock, web, other_web):
    claimant = make_claimant(uow)
    web.login(claimant.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    path = _reported(web, claimant.critical_illness)
    reference = path.rsplit("/", 1)[1]
    assert upload(web, path, "invoices", PDF).status_code == 303
    document = uow.session.query(Document).filter(Document.subject == f"claim:{reference}").one().reference
    # Another policyholder cannot remove it, by web or API.
    someone, _ = make_policyholder(uow, email="someone@example.com", mobile="+8613700000022")
    uow.commit()
    other_web.login("someone@example.com", PASSWORD)
    assert other_web.post_form(f"{path}/documents/{document}/remove", {}, token_from="/claims").status_code == 404
    assert count(uow, Document) == 1
    removed = web.post_form(f"{path}/documents/{document}/remove", {}, token_from=path)
    assert removed.status_code == 303 and count(uow, Document) == 0
    assert 'data-test="missing-invoices"' in web.text(path)
    entry = uow.session.query(AuditEntry).filter(AuditEntry.action == "claim.document_removed").one()
    assert document in entry.detail and entry.subject == f"claim:{reference}"
    # Once decided, the documents stay.
    for code in ("discharge_summary", "invoices", "id_card"):
        assert upload(web, path, code, PDF).status_code == 303
    adjuster, _ = staff_browser(app, uow, clock)
    desk = f"/console/claims/{reference}"
    assert adjuster.post_form(f"{desk}/approve", {"hospital_days": "10"}, token_from=desk).status_code == 303
    kept = uow.session.query(Document).filter(Document.subject == f"claim:{reference}").first().reference
    refused = web.post_form(f"{path}/documents/{kept}/remove", {}, token_from=path)
    assert refused.status_code == 422 and "can no longer be removed" in refused.get_data(as_text=True)
    assert count(uow, Document) == 3


def test_the_api_removes_a_document_and_refuses_another_persons(app, uow, web, other_web):
    claimant = make_claimant(uow)
    web.login(claimant.email, PASSWORD)
    path = _reported(web, claimant.critical_illness)
    reference = path.rsplit("/", 1)[1]
    assert upload(web, path, "invoices", PDF).status_code == 303
    document = uow.session.query(Document).filter(Document.subject == f"claim:{reference}").one().reference
    make_policyholder(uow, email="other@example.com", mobile="+8613700000033")
    uow.commit()
    other_web.login("other@example.com", PASSWORD)
    assert Api(other_web).send("DELETE", f"/claims/{reference}/documents/{document}").status_code == 404
    assert count(uow, Document) == 1
    api = Api(web)
    answer = api.send("DELETE", f"/claims/{reference}/documents/{document}")
    assert answer.status_code == 200 and "invoices" in [need["code"] for need in answer.json["missing_documents"]]
    assert api.send("DELETE", f"/claims/{reference}/documents/{document}").status_code == 404


def test_a_large_payout_within_authority_is_confirmed_with_amount_and_payee(app, uow, clock, web, whole_life):
    who = principal_of(whole_life.account)
    claim = _death_claim(uow, who, whole_life.whole_life)
    for code in reporting.REQUIRED["death"]:
        reporting.add_document(uow, who, claim.reference, document_type=code, filename=f"{code}.pdf", data=PDF)
    uow.commit()
    senior, _ = staff_browser(app, uow, clock, level=3)  # 5,000,000: pays 301,234.56 alone
    desk = f"/console/claims/{claim.reference}"
    asked = senior.post_form(f"{desk}/approve", {}, token_from=desk)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and payments(uow) == 0
    assert re.search(r'data-test="confirm-amount"><strong>¥301,234.56<', page)
    assert re.search(r'data-test="confirm-payee">中国银行 \*\*\*\* 2333<', page)
    wrong = senior.post_form(f"{desk}/approve", {"confirmed_amount": "30123.46"}, token_from=desk)
    assert wrong.status_code == 200 and payments(uow) == 0  # asked again, nothing paid
    done = senior.post_form(f"{desk}/approve", {"confirmed_amount": "301234.56"}, token_from=desk)
    assert done.status_code == 303 and payments(uow) == 1


def test_claims_statistics_count_outcomes_rate_turnaround_and_amounts(app, uow, clock):
    claimants = [make_claimant(uow, email=f"c{n}@example.com", mobile=f"+861370000010{n}") for n in range(3)]
    staff = principal_of(make_staff(uow, role="adjuster", level=3).account)
    claims = []
    for c in claimants:
        who = principal_of(c.account)
        claim = reporting.report(uow, who, c.critical_illness.policy_number, kind="hospitalisation",
                                 incident_date=date(2026, 11, 1), facts="In hospital for ten days.", claimant_name="",
                                 bank_account="1")
        for code in reporting.REQUIRED["hospitalisation"]:
            reporting.add_document(uow, who, claim.reference, document_type=code, filename="a.pdf", data=PDF)
        claims.append(claim)
    uow.commit()
    clock.advance(timedelta(days=2))
    adjusting.approve(uow, staff, claims[0].reference, hospital_days=10)  # 5,000 after 2 days
    clock.advance(timedelta(days=2))
    adjusting.approve(uow, staff, claims[1].reference, hospital_days=20)  # 10,000 after 4 days
    adjusting.decline(uow, staff, claims[2].reference, "The stay was for a check-up only.")
    uow.commit()
    today = clock.today()
    stats = claim_statistics(uow, staff, today - timedelta(days=29), today)
    assert (stats.reported, stats.paid, stats.declined, stats.open) == (3, 2, 1, 0)
    assert stats.approval_percent == Decimal("66.7") and stats.amount_paid == Decimal("15000.00")
    assert stats.average_paid == Decimal("7500.00") and stats.largest_paid == Decimal("10000.00")
    assert stats.turnaround.count == 3 and stats.turnaround.median == timedelta(days=4)
    assert stats.kinds[0].kind == "hospitalisation" and stats.kinds[0].amount_paid == Decimal("15000.00")
    before = claim_statistics(uow, staff, today - timedelta(days=60), today - timedelta(days=30))
    assert before.reported == 0 and before.approval_percent is None
    with pytest.raises(InvalidInput):
        claim_statistics(uow, staff, today, today - timedelta(days=1))
    clerk = principal_of(make_staff(uow, role="clerk").account)
    with pytest.raises(NotPermitted):
        claim_statistics(uow, clerk, today, today)
    # The page, for an adjuster; a clerk is refused.
    adjuster, _ = staff_browser(app, uow, clock)
    page = adjuster.text("/console/claims/statistics")
    assert 'data-test="approval-rate">66.7%' in page and "¥15,000.00" in page
    clerk_browser, _ = staff_browser(app, uow, clock, role="clerk")
    assert clerk_browser.client.get("/console/claims/statistics").status_code == 403
