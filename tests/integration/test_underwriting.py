"""New business end to end on the real database: straight through to an issued policy, each
underwriter decision, evidence, counter-offers, authority and four eyes, aggregate cover, and
another person's application (SQLite and PostgreSQL)."""
from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.audit.models import AuditEntry
from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.notices.models import Notice, PolicyEvent
from paas.policies.models import Policy, PremiumPayment
from paas.products.pricing import premium_for
from paas.underwriting import answers, applications, decisions
from paas.underwriting.decisions import Decision, cover_of
from paas.underwriting.models import Application
from paas.underwriting.states import (ACCEPTED, AWAITING_EVIDENCE, AWAITING_SECOND, DECLINED, DRAFT, ISSUED, OFFERED,
                                      POSTPONED, REFERRED, REFUSED)
from tests.factories import make_policy, make_policyholder, principal_of
from tests.underwriting_support import apply, form, pay_first_premium, underwriter


@pytest.fixture
def applicant(uow):
    customer, account = make_policyholder(uow, gender="F")
    uow.commit()
    return customer, principal_of(account)


def _fresh(uow, application) -> Application:
    uow.session.expire_all()
    return uow.session.get(Application, application.id)


def test_a_standard_case_goes_straight_through_to_an_issued_policy_with_its_e_policy(uow, platform, payments, applicant):
    customer, who = applicant
    application = apply(uow, who)
    assert application.status == ACCEPTED and application.rule_outcome == "accept"
    assert json.loads(application.findings) == []
    pay_first_premium(uow, platform, payments, who, application.reference)
    application = _fresh(uow, application)
    assert application.status == ISSUED
    policy = uow.session.get(Policy, application.policy_id)
    today = uow.clock.today()
    assert (policy.owner_id, policy.insured_id, policy.status, policy.issue_date) == (customer.id, customer.id, "in_force", today)
    assert policy.sum_assured == Decimal("500000.00") and policy.modal_premium == application.modal_premium
    assert policy.paid_to_date == today.replace(year=today.year + 1)  # the first annual premium is paid
    assert [b.name for b in policy.beneficiaries] == ["张三"]
    paid = uow.session.scalars(select(PremiumPayment).where(PremiumPayment.policy_id == policy.id)).all()
    assert [(p.due_date, p.amount, p.channel) for p in paid] == [(today, application.modal_premium, "card")]
    kinds = set(uow.session.scalars(select(PolicyEvent.type).where(PolicyEvent.policy_id == policy.id)))
    assert {"policy_issued", "premium_received"} <= kinds
    e_policy = uow.session.scalars(select(Notice.notice_type).where(Notice.policy_id == policy.id)).all()
    assert "policy_issued" in e_policy  # the e-policy reaches the applicant's inbox


def test_a_webhook_delivered_twice_issues_one_policy(uow, platform, payments, applicant):
    from tests.payments_support import deliver

    _, who = applicant
    application = apply(uow, who)
    from paas.underwriting.issuing import start_first_premium
    from tests.payments_support import URLS, session_of, take_events
    from iaas.payments.sandbox import SUCCEEDING_CARD

    started = start_first_premium(uow, who, application.reference, URLS)
    uow.commit()
    assert start_first_premium(uow, who, application.reference, URLS).reused  # a second click: the same checkout
    payments.pay(session_of(started.checkout_url), SUCCEEDING_CARD)
    events = take_events(payments)
    assert [deliver(platform, e) for e in events + events][-1] == "duplicate"
    uow.session.expire_all()
    assert len(uow.session.scalars(select(Policy).where(Policy.owner_id == who.customer_id)).all()) == 1


def test_drafts_are_saved_resumed_and_quoted_live(uow, applicant):
    _, who = applicant
    application = applications.start(uow, who, "TERM")
    saved = applications.save(uow, who, application.reference, {"sum_assured": "300000", "term": "20",
                                                                  "premium_term": "term", "mode": "annual"})
    uow.commit()
    resumed = applications.draft(uow, who, application.reference)
    assert resumed.application.status == DRAFT and resumed.values["sum_assured"] == "300000"
    assert resumed.quote is not None and resumed.quote.premium.modal == saved.quote.premium.modal > 0
    bad = applications.save(uow, who, application.reference, {"sum_assured": "300000", "term": "7", "mode": "annual"})
    assert bad.quote is None and bad.quote_error.field == "term"


def test_a_submission_with_faults_names_every_field_and_changes_nothing(uow, applicant):
    _, who = applicant
    application = applications.start(uow, who, "TERM")
    uow.commit()
    with pytest.raises(InvalidInput) as raised:
        applications.submit(uow, who, application.reference, form(q_heart="", height_cm="7", declare_truth="",
                                                                  beneficiary_1_share="60"))
    assert {e.field for e in raised.value.errors} >= {"q_heart", "height_cm", "declare_truth", "beneficiary_1_share"}
    uow.rollback()
    assert _fresh(uow, application).status == DRAFT


def test_another_persons_application_is_not_found(uow, applicant):
    _, who = applicant
    application = apply(uow, who)
    _, stranger = make_policyholder(uow)
    stranger = principal_of(stranger)
    for act in (lambda: applications.draft(uow, stranger, application.reference),
                lambda: applications.save(uow, stranger, application.reference, {}),
                lambda: answers.answer_offer(uow, stranger, application.reference, accept=True),
                lambda: applications.withdraw(uow, stranger, application.reference)):
        with pytest.raises(NotFound):
            act()


def test_a_family_member_is_insured_under_their_own_customer_record_found_again_next_time(uow, applicant):
    from portal.demo.people import resident_id
    from datetime import date

    customer, who = applicant
    child = dict(insured="family", insured_name="李明", insured_gender="M", insured_birth_date="1990-06-01",
                 insured_relationship="spouse", insured_id_number=resident_id("440106", date(1990, 6, 1), 7),
                 sum_assured="100000", term="20", income="0")
    first = apply(uow, who, **child)
    second = apply(uow, who, **child)
    assert first.insured_id == second.insured_id != customer.id
    assert "INCOME_MULTIPLE" in {f["code"] for f in json.loads(first.findings)}  # no income of their own: an underwriter


def test_applying_twice_counts_each_application_once_in_the_aggregate(uow, applicant):
    customer, who = applicant
    make_policy(uow, customer, sum_assured="1000000.00")
    uow.commit()
    big = dict(sum_assured="1500000", income="1000000")
    first = apply(uow, who, **big)  # 1.0M policy + 1.5M applied: above 2.0M non-medical at 46
    second = apply(uow, who, **big)
    def totals(application):
        return {f["params"].get("total") for f in json.loads(application.findings) if f["code"] == "NON_MEDICAL_LIMIT"}
    assert totals(first) == {"2,500,000"}
    assert totals(second) == {"4,000,000"}  # the policy, the first application and itself — once each
    # Submitting the first again (a retry) does not count it twice either.
    with pytest.raises(InvalidInput):
        applications.submit(uow, who, first.reference, form(**big))
    uow.rollback()
    from paas.underwriting.cover import cover_with_us
    assert cover_with_us(uow, customer.id, excluding_application=first.id) == Decimal("2500000.00")


@pytest.fixture
def referred(uow, applicant):
    _, who = applicant
    application = apply(uow, who, q_heart="yes")
    assert application.status == REFERRED
    return application, who


def test_the_queue_is_oldest_first_with_sum_assured_and_reasons(uow, applicant, clock):
    _, who = applicant
    first = apply(uow, who, q_heart="yes")
    clock.advance(timedelta(minutes=5))
    second = apply(uow, who, occupation_class="4", sum_assured="200000")
    lines = [line for line in decisions_queue(uow) if line.reference in (first.reference, second.reference)]
    assert [line.reference for line in lines] == [first.reference, second.reference]
    assert lines[0].sum_assured == Decimal("500000.00") and lines[0].codes == ("HEALTH_HEART",)
    assert lines[1].codes == ("OCCUPATION_4",)


def decisions_queue(uow):
    from paas.underwriting.desk import queue

    return queue(uow, underwriter(uow))


def test_accept_standard_by_an_underwriter(uow, referred):
    application, who = referred
    decisions.decide(uow, underwriter(uow), application.reference, Decision("standard"))
    uow.commit()
    assert (_fresh(uow, application).status, _fresh(uow, application).decision) == (ACCEPTED, "standard")


def test_a_rated_acceptance_is_re_priced_exactly_and_waits_for_the_applicants_acceptance(uow, platform, payments, referred):
    application, who = referred
    decisions.decide(uow, underwriter(uow), application.reference, Decision("rated", extra_pct="50"))
    uow.commit()
    application = _fresh(uow, application)
    cover = cover_of(application, applications.details(application))
    # By hand: the net cost of the benefits +50%, then the loadings and the fee, rounded once.
    from paas.money import to_fen
    from paas.products.pricing import as_decimal
    spec = cover.spec
    net = as_decimal(cover.factors.net_rate) * cover.sum_assured * Decimal("1.5")
    assert application.offered_premium == to_fen((net + spec.policy_fee) / (1 - spec.premium_loading))
    assert application.offered_premium > application.modal_premium == premium_for(cover).modal
    assert application.status == OFFERED
    with pytest.raises(InvalidInput):  # not payable before the applicant accepts the offer
        pay_first_premium(uow, platform, payments, who, application.reference)
    uow.rollback()
    answers.answer_offer(uow, who, application.reference, accept=True)
    uow.commit()
    pay_first_premium(uow, platform, payments, who, application.reference)
    application = _fresh(uow, application)
    assert application.status == ISSUED
    policy = uow.session.get(Policy, application.policy_id)
    assert policy.modal_premium == application.offered_premium
    from paas.underwriting.terms import special_terms
    assert special_terms(uow, who.customer_id, policy.policy_number).extra_premium_pct == Decimal("50")
    assert special_terms(uow, who.customer_id + 999, policy.policy_number) is None  # only the owner's page
    from paas.policies.detail import policy_detail_with
    from paas.underwriting.terms import SPECIAL_TERMS_COLUMNS, special_terms_of
    _detail, terms = policy_detail_with(uow, who.customer_id, policy.policy_number, SPECIAL_TERMS_COLUMNS)
    assert special_terms_of(*terms) == special_terms(uow, who.customer_id, policy.policy_number)  # the page's one read


def test_an_exclusion_offer_refused_by_the_applicant_ends_there(uow, referred):
    application, who = referred
    with pytest.raises(InvalidInput):
        decisions.decide(uow, underwriter(uow), application.reference, Decision("exclusion", exclusion="short"))
    uow.rollback()
    decisions.decide(uow, underwriter(uow), application.reference,
                     Decision("exclusion", exclusion="Heart disease and its complications are not covered."))
    answers.answer_offer(uow, who, application.reference, accept=False)
    uow.commit()
    application = _fresh(uow, application)
    assert (application.status, application.exclusion) == (REFUSED, "Heart disease and its complications are not covered.")


@pytest.mark.parametrize("kind,status", [("postpone", POSTPONED), ("decline", DECLINED)])
def test_postpone_and_decline_tell_the_applicant_why(uow, referred, kind, status):
    application, _ = referred
    with pytest.raises(InvalidInput):
        decisions.decide(uow, underwriter(uow), application.reference, Decision(kind, note="no"))
    uow.rollback()
    decisions.decide(uow, underwriter(uow), application.reference, Decision(kind, note="Please apply again in six months."))
    uow.commit()
    application = _fresh(uow, application)
    assert application.status == status and "six months" in application.told_reason


def test_asking_for_a_document_and_an_exam_waits_until_both_are_answered(uow, referred):
    application, who = referred
    staff = underwriter(uow)
    decisions.decide(uow, staff, application.reference, Decision("evidence", evidence_kind="document", note="Your latest ECG report"))
    uow.commit()
    application = _fresh(uow, application)
    assert application.status == AWAITING_EVIDENCE
    assert application.reference not in {line.reference for line in decisions_queue(uow)}
    request = application.evidence[0]
    with pytest.raises(InvalidInput):
        answers.upload_evidence(uow, who, application.reference, request.id, filename="x.exe", data=b"MZ...")
    uow.rollback()
    answers.upload_evidence(uow, who, application.reference, request.id, filename="ecg.pdf", data=b"%PDF-1.4 ecg")
    uow.commit()
    application = _fresh(uow, application)
    assert application.status == REFERRED and application.evidence[0].document_reference
    assert application.reference in {line.reference for line in decisions_queue(uow)}
    decisions.decide(uow, staff, application.reference, Decision("evidence", evidence_kind="exam", note="A medical examination"))
    uow.commit()
    request = _fresh(uow, application).evidence[1]
    slots = json.loads(request.slots)
    assert len(slots) == 6
    with pytest.raises(InvalidInput):
        answers.book_exam(uow, who, application.reference, request.id, "2031-01-01T09:00")
    uow.rollback()
    answers.book_exam(uow, who, application.reference, request.id, slots[2])
    uow.commit()
    application = _fresh(uow, application)
    assert application.status == REFERRED and application.evidence[1].booked_slot == slots[2]


def test_above_ones_limit_a_second_higher_underwriter_must_agree(uow, applicant):
    _, who = applicant
    application = apply(uow, who, sum_assured="2000000", income="1000000", q_heart="yes")
    junior, peer, senior = underwriter(uow, 1), underwriter(uow, 1), underwriter(uow, 2)
    decisions.decide(uow, junior, application.reference, Decision("standard"))
    uow.commit()
    assert _fresh(uow, application).status == AWAITING_SECOND
    for someone in (junior, peer):  # not alone, and not with a colleague of the same level
        with pytest.raises(NotPermitted):
            decisions.decide(uow, someone, application.reference, Decision("agree"))
        uow.rollback()
    decisions.decide(uow, senior, application.reference, Decision("agree"))
    uow.commit()
    application = _fresh(uow, application)
    assert application.status == ACCEPTED and [s.decision for s in application.steps] == ["standard", "agree"]
    actions = set(uow.session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject == f"application:{application.reference}")))
    assert {"application.submitted", "application.standard", "application.agreed"} <= actions


def test_only_underwriters_decide(uow, referred):
    from paas.security.sessions import principal_of as staff_principal
    from tests.factories import make_staff

    application, who = referred
    clerk = staff_principal(make_staff(uow, role="clerk", level=3).account)
    for someone in (clerk, who):
        with pytest.raises(NotPermitted):
            decisions.decide(uow, someone, application.reference, Decision("standard"))


def test_rules_decline_with_the_words_the_applicant_may_see(uow, applicant):
    _, who = applicant
    application = apply(uow, who, q_cancer="yes")
    assert application.status == DECLINED
    told = json.loads(application.told_reason)
    assert "cannot offer cover" in told["en"] and "无法承保" in told["zh"] and "cancer" not in told["en"]
