"""Issue 10, claims: a benefit paid to a bank account the claim itself brought in (new, never
verified) waits like a servicing payout. The claim is approved, nothing is paid and the policy
does not change until the hold ends; the claimant sees when it goes and that they can call,
clerks see it with the held payouts, ``portal servicing release-held`` pays it once, and the
alert to the contacts on file says it waits. An account on file and verified is paid at once."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from click.testing import CliRunner

from paas.claims import adjusting, payout_hold, reporting
from paas.claims.models import Claim, ClaimPayment
from paas.errors import NotPermitted
from paas.messaging.models import OutboxMessage
from paas.notices.letters import signed
from paas.notices.models import Notice, NoticeDelivery
from paas.security import freeze
from paas.security.sessions import principal_of
from portal.cli.context import CliContext
from portal.cli.servicing import servicing
from tests.claims_support import FACTS, PDF, make_claimant, staff_browser
from tests.factories import PASSWORD, make_staff
from tests.servicing_support import staff_signed_in

NEW_ACCOUNT = ("招商银行", "6225880123456789")


@pytest.fixture
def claimant(uow):
    return make_claimant(uow)


def _approved(uow, claimant, new_bank_account=NEW_ACCOUNT) -> Claim:
    who = principal_of(claimant.account)
    claim = reporting.report(uow, who, claimant.critical_illness.policy_number, kind="hospitalisation",
                             incident_date=date(2026, 11, 1), facts=FACTS, claimant_name="",
                             bank_account=None if new_bank_account else "1", new_bank_account=new_bank_account)
    for code in reporting.REQUIRED[claim.kind]:
        reporting.add_document(uow, who, claim.reference, document_type=code, filename=f"{code}.pdf", data=PDF)
    adjuster = principal_of(make_staff(uow, role="adjuster", level=2).account)
    adjusting.approve(uow, adjuster, claim.reference, hospital_days=10)
    uow.commit()
    return claim


def _payments(uow) -> int:
    return uow.session.scalar(select(func.count()).select_from(ClaimPayment))


def _alerts(uow, kind: str) -> list[str]:
    uow.session.flush()
    return list(uow.session.scalars(select(OutboxMessage.body).where(OutboxMessage.kind == f"alert_{kind}")))


def test_a_claim_paid_to_a_new_account_is_approved_but_waits_and_goes_when_the_hold_ends(uow, claimant, clock):
    claim = _approved(uow, claimant)
    assert claim.status == "approved" and claim.payout_hold_until == clock.now() + timedelta(hours=72)
    assert _payments(uow) == 0  # nothing has left
    assert [h.reference for h in payout_hold.held_claim_payouts(uow)] == [claim.reference]
    held_alerts = _alerts(uow, "claim_payout_held")
    assert len(held_alerts) == 2 and all(claim.reference in body and "95500" in body for body in held_alerts)
    assert _alerts(uow, "money_moved") == []  # not told "money is being paid" while it waits
    clock.advance(timedelta(hours=71))
    assert payout_hold.release_due(uow.platform) == 0
    clock.advance(timedelta(hours=1))
    assert payout_hold.release_due(uow.platform) == 1
    assert payout_hold.release_due(uow.platform) == 0  # once
    uow.session.expire_all()
    assert claim.status == "paid" and claim.payout_hold_until is None and _payments(uow) == 1
    assert [line.status for line in claim.timeline][-2:] == ["approved", "paid"]
    assert len(_alerts(uow, "money_moved")) == 2
    assert payout_hold.held_claim_payouts(uow) == []


def test_a_held_claim_payout_is_a_signed_payout_held_notice_to_the_contacts(uow, claimant, other_web):
    claim = _approved(uow, claimant)
    [notice] = uow.session.scalars(select(Notice).where(Notice.customer_id == claimant.customer.id,
                                                        Notice.notice_type == "payout_held")).all()
    fields = signed(notice).data["fields"]
    assert fields["reference"] == claim.reference and Decimal(fields["amount"]) == claim.approved_amount
    sent = {(d.channel, d.recipient) for d in uow.session.scalars(
        select(NoticeDelivery).where(NoticeDelivery.notice_id == notice.id))}
    assert sent == {("sms", claimant.customer.mobile), ("email", claimant.customer.email)}
    assert all(f"/notices/{notice.id}" in body for body in _alerts(uow, "claim_payout_held"))
    uow.commit()
    assert 'data-test="verdict-genuine"' in other_web.text(f"/verify?code={notice.code}")


def test_a_claim_paid_to_a_verified_account_on_file_is_paid_at_once(uow, claimant):
    claim = _approved(uow, claimant, new_bank_account=None)
    assert claim.status == "paid" and claim.payout_hold_until is None and _payments(uow) == 1


def test_the_release_command_pays_held_claims_too(uow, claimant, clock):
    claim = _approved(uow, claimant)
    clock.advance(timedelta(hours=73))
    context = CliContext()
    context.platform = uow.platform  # the command on this test's database
    answer = CliRunner().invoke(servicing, ["release-held"], obj=context)
    assert answer.exit_code == 0 and "claim payments released 1" in answer.output, answer.output
    uow.session.expire_all()
    assert claim.status == "paid" and _payments(uow) == 1


def test_the_claimant_sees_when_it_goes_and_clerks_see_it_held(uow, claimant, clock, web, other_web):
    claim = _approved(uow, claimant)
    web.login(claimant.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    page = web.text(f"/claims/{claim.reference}")
    assert 'data-test="payout-held"' in page and "call 95500" in page
    web.client.set_cookie("lang", "zh")
    assert "95500" in web.text(f"/claims/{claim.reference}") and "Your claim is approved" not in web.text(
        f"/claims/{claim.reference}")
    shown = web.get(f"/api/v1/claims/{claim.reference}").json
    assert shown["status"] == "approved" and shown["payout_hold_until"].startswith(
        (clock.now() + timedelta(hours=72)).date().isoformat())
    staff_signed_in(uow, other_web, clock)
    listing = other_web.text("/console/held-payouts")
    assert f'data-test="held-claim-{claim.reference}"' in listing and 'data-test="no-held"' not in listing


def test_a_clerk_stops_a_held_claim_payment_when_the_claimant_calls(uow, claimant, clock, other_web):
    claim = _approved(uow, claimant)
    other_web.client.set_cookie("lang", "en")
    staff_signed_in(uow, other_web, clock)
    path = f"/console/held-payouts/claims/{claim.reference}/stop"
    short = other_web.post_form(path, {"note": "no"}, token_from="/console/held-payouts")
    assert short.status_code == 422 and "at least 5 characters" in short.get_data(as_text=True)
    assert other_web.post_form(path, {"note": "Claimant called: not their account"},
                               token_from="/console/held-payouts").status_code == 303
    uow.session.expire_all()
    assert claim.status == "under_review" and claim.payout_hold_until is None
    assert claim.timeline[-1].note == "Claimant called: not their account"
    assert other_web.post_form(path, {"note": "again, twice"}, token_from="/console/held-payouts").status_code == 404
    clock.advance(timedelta(hours=80))
    assert payout_hold.release_due(uow.platform) == 0 and _payments(uow) == 0
    with pytest.raises(NotPermitted):
        payout_hold.stop_by_clerk(uow, principal_of(make_staff(uow, role="adjuster").account), claim.reference,
                                  "not a clerk here")


def test_a_held_claim_payment_of_a_claimant_who_froze_since_stays_held(uow, claimant, clock):
    claim = _approved(uow, claimant)
    freeze.freeze(uow, principal_of(claimant.account))
    uow.commit()
    clock.advance(timedelta(hours=80))
    assert payout_hold.release_due(uow.platform) == 0
    uow.session.expire_all()
    assert claim.status == "approved" and _payments(uow) == 0
    assert [h.reference for h in payout_hold.held_claim_payouts(uow)] == [claim.reference]


def test_the_adjuster_sees_the_payment_waiting_on_the_claim(app, uow, claimant, clock):
    claim = _approved(uow, claimant)
    adjuster, _ = staff_browser(app, uow, clock)
    assert 'data-test="payout-held"' in adjuster.text(f"/console/claims/{claim.reference}")
