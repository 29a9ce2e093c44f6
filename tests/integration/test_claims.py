"""Claims in the platform core: reporting, documents, authority limits with a second
approver, paying once, the policy following the claim, and blocking servicing meanwhile."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from paas.claims import adjusting, reporting, views
from paas.claims.adjusting import PayoutToConfirm
from paas.claims.models import ClaimPayment
from paas.customers.registry import add_bank_account
from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.policies.ledger import credit
from paas.security.sessions import principal_of
from paas.servicing import engine
from tests.factories import make_policy, make_policyholder, make_staff

PDF = b"%PDF-1.4 claim document"


@pytest.fixture
def world(uow):
    customer, account = make_policyholder(uow, mobile="+8613655557777")
    add_bank_account(uow, customer, bank_name="中国建设银行", account_number="6227001234567890", verified=True)
    policy = make_policy(uow, customer, product="WLPAR", term_years=None, sum_assured="300000.00",
                         issue_date=date(2018, 5, 1), paid_to=date(2027, 5, 1))
    credit(uow, policy.id, "dividends", "credit", Decimal("1234.56"), date(2025, 5, 1), reference="d1")
    uow.commit()
    staff = {level: principal_of(make_staff(uow, role="adjuster", level=level).account) for level in (1, 2, 3)}
    return customer, principal_of(account), policy, staff


def _report(uow, who, policy, kind="death"):
    return reporting.report(uow, who, policy.policy_number, kind=kind, incident_date=date(2026, 11, 1),
                            facts="The insured died in hospital after a short illness.", claimant_name="", bank_account="1")


def _documents(uow, who, claim):
    for code in reporting.REQUIRED[claim.kind]:
        reporting.add_document(uow, who, claim.reference, document_type=code, filename=f"{code}.pdf", data=PDF)


def test_large_claim_needs_a_second_higher_approver_and_pays_once(uow, world):
    _, who, policy, staff = world
    claim = _report(uow, who, policy)
    with pytest.raises(InvalidInput):  # documents missing
        adjusting.approve(uow, staff[1], claim.reference)
    _documents(uow, who, claim)
    adjusting.approve(uow, staff[1], claim.reference)
    assert claim.status == "awaiting_second_approval" and claim.approved_amount == Decimal("301234.56")
    assert uow.session.scalar(select(func.count()).select_from(ClaimPayment)) == 0  # nothing paid yet
    with pytest.raises(NotPermitted):
        adjusting.approve(uow, staff[1], claim.reference)  # the same person cannot be the second approver
    with pytest.raises(PayoutToConfirm) as asked:  # a large payout: amount and payee shown once more
        adjusting.approve(uow, staff[2], claim.reference)
    assert asked.value.amount == Decimal("301234.56") and "**** 7890" in asked.value.payee
    assert claim.status == "awaiting_second_approval"
    with pytest.raises(PayoutToConfirm):  # confirming another amount confirms nothing
        adjusting.approve(uow, staff[2], claim.reference, confirmed_amount="301234.55")
    adjusting.approve(uow, staff[2], claim.reference, confirmed_amount="301,234.56")
    assert claim.status == "paid" and policy.status == "terminated"
    with pytest.raises(InvalidInput):
        adjusting.approve(uow, staff[3], claim.reference)  # approved twice: still paid once
    assert uow.session.scalar(select(func.count()).select_from(ClaimPayment)) == 1
    timeline = [line.status for line in views.claim_for_claimant(uow, who, claim.reference).timeline]
    assert timeline == ["reported", "awaiting_second_approval", "approved", "paid"]


def test_decline_gives_a_reason_the_claimant_reads(uow, world):
    _, who, policy, staff = world
    claim = _report(uow, who, policy)
    adjusting.decline(uow, staff[1], claim.reference, "The illness began before the policy was issued.")
    view = views.claim_for_claimant(uow, who, claim.reference)
    assert view.status == "declined" and "before the policy" in view.timeline[-1].note


def test_an_open_claim_blocks_servicing(uow, world):
    _, who, policy, _ = world
    _report(uow, who, policy)
    with pytest.raises(NotPermitted):
        engine.start(uow, who, policy.policy_number, "dividend_withdrawal", {"amount": "10", "bank_account": "1"},
                     channel="web", idempotency_key="c-1")


def test_nobody_else_sees_a_claim_or_its_documents(uow, world):
    _, who, policy, staff = world
    claim = _report(uow, who, policy)
    _documents(uow, who, claim)
    document = views.claim_for_claimant(uow, who, claim.reference).documents[0]
    stranger = principal_of(make_policyholder(uow)[1])
    clerk = principal_of(make_staff(uow, role="clerk").account)
    with pytest.raises(NotFound):
        views.claim_for_claimant(uow, stranger, claim.reference)
    with pytest.raises(NotFound):
        views.document_for(uow, stranger, claim.reference, document.reference)
    with pytest.raises(NotPermitted):
        views.document_for(uow, clerk, claim.reference, document.reference)
    assert views.document_for(uow, staff[1], claim.reference, document.reference)[1] == PDF
    assert views.document_for(uow, who, claim.reference, document.reference)[1] == PDF


@pytest.mark.parametrize(("data", "name"), [(b"", "a.pdf"), (b"GIF89a...", "photo.png")])
def test_bad_uploads_leave_nothing(uow, world, data, name):
    _, who, policy, _ = world
    claim = _report(uow, who, policy)
    with pytest.raises(InvalidInput):
        reporting.add_document(uow, who, claim.reference, document_type="id_card", filename=name, data=data)
    assert views.claim_for_claimant(uow, who, claim.reference).documents == ()


def test_claims_the_policy_does_not_cover_are_refused(uow, world):
    _, who, policy, _ = world
    with pytest.raises(InvalidInput):
        _report(uow, who, policy, kind="critical_illness")  # whole life covers death only
