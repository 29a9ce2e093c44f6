"""Missing-document reminders for the nightly cycle: a claim waiting a week after its last step
raises a ``claim_documents_due`` event, then at most once a week while documents are missing; none once
they are all in or the claim is decided. Also the payee account typed with a report."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from paas.claims import adjusting, reporting
from paas.claims.reminders import remind_missing_documents
from paas.errors import InvalidInput
from paas.notices.models import PolicyEvent
from paas.security.sessions import principal_of
from tests.claims_support import FACTS, PDF, make_claimant
from tests.factories import make_staff

TODAY = date(2026, 11, 27)  # the claims are reported on the tests' day


@pytest.fixture
def reported(uow):
    claimant = make_claimant(uow)
    who = principal_of(claimant.account)
    claim = reporting.report(uow, who, claimant.critical_illness.policy_number, kind="hospitalisation",
                             incident_date=date(2026, 11, 1), facts=FACTS, claimant_name="", bank_account="1")
    return claimant, who, claim


def _reminders(uow, claim) -> list[PolicyEvent]:
    return list(uow.session.scalars(select(PolicyEvent).where(PolicyEvent.type == "claim_documents_due",
                                                                       PolicyEvent.reference == claim.reference)
                                    .order_by(PolicyEvent.event_date)))


def test_a_week_without_documents_raises_a_reminder_then_weekly(uow, reported):
    _, _, claim = reported
    assert remind_missing_documents(uow, TODAY + timedelta(days=6)) == 0
    assert remind_missing_documents(uow, TODAY + timedelta(days=7)) == 1
    assert remind_missing_documents(uow, TODAY + timedelta(days=7)) == 0  # the same night again
    assert remind_missing_documents(uow, TODAY + timedelta(days=10)) == 0  # not twice in a week
    assert remind_missing_documents(uow, TODAY + timedelta(days=14)) == 1
    reminders = _reminders(uow, claim)
    assert [r.event_date for r in reminders] == [TODAY + timedelta(days=7), TODAY + timedelta(days=14)]
    assert json.loads(reminders[0].detail)["missing"] == ["discharge_summary", "invoices", "id_card"]


def test_an_upload_restarts_the_wait_and_a_complete_or_decided_claim_is_left_alone(uow, clock, reported):
    _, who, claim = reported
    clock.advance(timedelta(days=5))
    reporting.add_document(uow, who, claim.reference, document_type="invoices", filename="a.pdf", data=PDF)
    assert remind_missing_documents(uow, TODAY + timedelta(days=8)) == 0  # 3 days after the upload
    assert remind_missing_documents(uow, TODAY + timedelta(days=12)) == 1
    for code in ("discharge_summary", "id_card"):
        reporting.add_document(uow, who, claim.reference, document_type=code, filename="a.pdf", data=PDF)
    assert remind_missing_documents(uow, TODAY + timedelta(days=40)) == 0


def test_a_declined_claim_is_not_reminded(uow, reported):
    _, _, claim = reported
    adjuster = principal_of(make_staff(uow, role="adjuster", level=1).account)
    adjusting.decline(uow, adjuster, claim.reference, "The policy does not cover this kind of stay.")
    assert remind_missing_documents(uow, TODAY + timedelta(days=30)) == 0


def test_a_payee_account_typed_again_is_not_stored_twice(uow, reported):
    claimant, who, first = reported
    account = reporting.payee_account(uow, claimant.customer, "中国银行", "6217 0000 1111 2222 333")
    assert account.id == first.payee_bank_account_id and len(claimant.customer.bank_accounts) == 1
    with pytest.raises(InvalidInput) as refused:
        reporting.payee_account(uow, claimant.customer, "", "6225880198765432")
    assert refused.value.field == "bank_name"
    second = reporting.report(uow, who, claimant.critical_illness.policy_number, kind="critical_illness",
                              incident_date=date(2026, 11, 2), facts=FACTS, claimant_name="", bank_account=None,
                              new_bank_account=("招商银行", "6225880198765432"))
    assert len(claimant.customer.bank_accounts) == 2
    assert second.payee_bank_account_id == claimant.customer.bank_accounts[1].id
