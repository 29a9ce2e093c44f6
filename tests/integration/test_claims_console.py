"""Claims in the console: the adjusters' queue, one claim with its computed benefit and its
documents shown inline under a strict policy, asking for documents, declining with a reason
the claimant reads, approving within one's authority; above it a second, higher approver;
approved twice (double click, two adjusters) pays once; other staff see nothing."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.claims_support import PDF, make_claimant, payments, staff_browser
from tests.factories import PASSWORD
from tests.integration.test_claims_web import _reported, upload


@pytest.fixture
def claim(uow, web):
    """A hospitalisation claim with every document supplied: (claimant's browser, path, reference)."""
    claimant = make_claimant(uow)
    web.login(claimant.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    path = _reported(web, claimant.critical_illness)
    for code in ("discharge_summary", "invoices", "id_card"):
        assert upload(web, path, code, PDF).status_code == 303
    return path, path.rsplit("/", 1)[1], claimant


def _approve(browser, reference, **fields):
    desk = f"/console/claims/{reference}"
    return browser.post_form(f"{desk}/approve", fields, token_from=desk)


def test_the_queue_and_the_desk_show_the_claim_and_its_benefit(app, uow, clock, claim):
    _, reference, claimant = claim
    clock.advance(timedelta(days=3))
    adjuster, _ = staff_browser(app, uow, clock)
    queue = adjuster.text("/console/claims")
    row = re.search(rf'<tr data-test="queued-{reference}">(.*?)</tr>', queue, re.S).group(1)
    assert "3 days" in row and "Hospitalisation" in row
    assert 'data-test="nav-claims"' in queue
    desk = adjuster.text(f"/console/claims/{reference}?days=10")
    assert "¥5,000.00" in re.search(r'data-test="computed-benefit">(.*?)</dd>', desk, re.S).group(1)
    assert "pneumonia" in desk and claimant.critical_illness.policy_number in desk and "**** 2333" in desk
    link = re.search(r'href="(/console/claims/CL\w+/documents/DOC\w+)"', desk).group(1)
    shown = adjuster.get(link)
    assert shown.status_code == 200 and shown.data == PDF and shown.headers["Content-Type"] == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith("inline")
    policy = shown.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy


def test_staff_without_the_role_cannot_list_see_or_open_documents(app, uow, clock, web, claim):
    path, reference, _ = claim
    link = re.search(r'href="/claims/(CL\w+/documents/DOC\w+)"', web.text(path)).group(1)
    for role in ("clerk", "underwriter"):
        staff, _ = staff_browser(app, uow, clock, role=role, level=3)
        assert staff.get("/console/claims").status_code == 403
        assert staff.get(f"/console/claims/{reference}").status_code == 403
        assert staff.get(f"/console/claims/{link}").status_code == 403
        assert 'data-test="nav-claims"' not in staff.text("/console/")
        # Nor through the policyholder's pages or the API: staff are not claimants.
        assert staff.get(f"/claims/{link}").status_code == 302  # to the console
        assert staff.get(f"/api/v1/claims/{link}").status_code == 403
    assert web.get(f"/console/claims/{reference}").status_code == 404  # the console does not exist for customers


def test_declined_with_a_reason_the_claimant_reads(app, uow, clock, web, claim):
    path, reference, _ = claim
    adjuster, _ = staff_browser(app, uow, clock)
    desk = f"/console/claims/{reference}"
    too_short = adjuster.post_form(f"{desk}/decline", {"reason": "no"}, token_from=desk)
    assert too_short.status_code == 422 and 'data-test="decision-error"' in too_short.get_data(as_text=True)
    reason = "The stay was for a check-up, which the policy does not cover."
    assert adjuster.post_form(f"{desk}/decline", {"reason": reason}, token_from=desk).status_code == 303
    page = web.text(path)
    assert 'data-test="timeline-declined"' in page and reason in page and payments(uow) == 0


def test_asking_for_more_documents_shows_on_the_timeline(app, uow, clock, web, claim):
    path, reference, _ = claim
    adjuster, _ = staff_browser(app, uow, clock)
    desk = f"/console/claims/{reference}"
    note = "Please send the itemised invoice from the hospital."
    assert adjuster.post_form(f"{desk}/request-documents", {"note": note}, token_from=desk).status_code == 303
    page = web.text(path)
    assert 'data-test="timeline-under_review"' in page and note in page


def test_a_double_submitted_approval_pays_once(app, uow, clock, web, claim):
    path, reference, _ = claim
    adjuster, _ = staff_browser(app, uow, clock)
    desk = f"/console/claims/{reference}"
    token = adjuster.csrf_token(desk)
    first = adjuster.client.post(f"{desk}/approve", data={"csrf_token": token, "hospital_days": "10"})
    second = adjuster.client.post(f"{desk}/approve", data={"csrf_token": token, "hospital_days": "10"})
    assert first.status_code == 303 and second.status_code == 422
    assert "is not waiting for this" in second.get_data(as_text=True)
    assert payments(uow) == 1
    page = web.text(path)
    assert 'data-test="timeline-paid"' in page and "¥5,000.00" in page


def test_two_adjusters_approving_at_once_pay_once(app, uow, clock, claim):
    _, reference, _ = claim
    (one, _), (two, _) = staff_browser(app, uow, clock), staff_browser(app, uow, clock)
    desk = f"/console/claims/{reference}"
    tokens = [one.csrf_token(desk), two.csrf_token(desk)]  # both have the page open
    answers = [browser.client.post(f"{desk}/approve", data={"csrf_token": token, "hospital_days": "10"})
               for browser, token in zip((one, two), tokens)]
    assert sorted(a.status_code for a in answers) == [303, 422] and payments(uow) == 1


def test_above_the_limit_nothing_is_paid_until_a_higher_second_approver_agrees(app, uow, clock, web, claim):
    path, reference, _ = claim
    junior, _ = staff_browser(app, uow, clock, level=1)  # up to 50,000
    assert _approve(junior, reference, hospital_days="120").status_code == 303  # 60,000
    assert payments(uow) == 0
    desk = junior.text(f"/console/claims/{reference}")
    assert "Awaiting a second approver of level 2 or higher." in desk and 'data-test="cannot-second"' in desk
    assert _approve(junior, reference).status_code == 403 and payments(uow) == 0  # not their own second
    peer, _ = staff_browser(app, uow, clock, level=1)
    assert _approve(peer, reference).status_code == 403 and payments(uow) == 0  # not the same level
    assert 'data-test="timeline-awaiting_second_approval"' in web.text(path)
    senior, _ = staff_browser(app, uow, clock, level=2)
    assert 'data-test="second-approve"' in senior.text(f"/console/claims/{reference}")
    asked = _approve(senior, reference)  # 60,000 at once: the amount and payee are shown once more
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and payments(uow) == 0
    assert 'data-test="confirm-payout"' in page and "¥60,000.00" in page and "**** " in page
    assert _approve(senior, reference, confirmed_amount="60000.00").status_code == 303 and payments(uow) == 1
    assert "¥60,000.00" in web.text(path)


def test_less_than_the_benefit_needs_a_reason_and_nothing_is_approved_for_nothing(app, uow, clock, web, claim):
    path, reference, _ = claim
    adjuster, _ = staff_browser(app, uow, clock)
    no_days = _approve(adjuster, reference)
    assert no_days.status_code == 422 and "days in hospital" in no_days.get_data(as_text=True)
    less = _approve(adjuster, reference, hospital_days="10", amount="4000")
    assert less.status_code == 422 and "Say why" in less.get_data(as_text=True)
    assert _approve(adjuster, reference, hospital_days="10", amount="4000",
                    note="Two of the days were for a check-up.").status_code == 303
    assert payments(uow) == 1
    page = web.text(path)  # the reason, in the claimant's timeline
    assert "Two of the days were for a check-up." in page and "¥4,000.00" in page
