"""Servicing changes that move no money: each applied through the engine, with the step-up
it needs, the checks it makes and the reason when it is not available."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.customers.registry import add_bank_account
from paas.documents import uploads
from paas.documents.models import Document
from paas.errors import InvalidInput, NotPermitted
from paas.messaging.models import OutboxMessage
from paas.notices.models import PolicyEvent
from paas.security.sessions import principal_of
from paas.servicing import engine
from tests.factories import make_policy, make_policyholder, make_staff
from tests.outbox_support import sms_code

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def world(uow):
    customer, account = make_policyholder(uow, mobile="+8613622223333", email="changes@example.com")
    add_bank_account(uow, customer, bank_name="交通银行", account_number="6222600012345678", verified=True)
    whole_life = make_policy(uow, customer, product="WLPAR", term_years=None, mode="annual", premium="7000.00",
                             issue_date=date(2020, 3, 1), paid_to=date(2027, 3, 1))
    term = make_policy(uow, customer, product="TERM", issue_date=date(2021, 6, 1), paid_to=date(2027, 6, 1))
    uow.commit()
    return customer, principal_of(account), whole_life, term


_keys = iter(range(10_000))


def run(uow, who, policy, kind, inputs, code=True):
    request = engine.start(uow, who, policy.policy_number, kind, inputs, channel="web", idempotency_key=f"k{next(_keys)}")
    if request.status == "awaiting_code" and code:
        engine.confirm(uow, who, request.reference, last_code(uow, request.reference))
    return request


def last_code(uow, reference):
    return sms_code(uow, reference)


def test_notice_preference(uow, world):
    customer, who, policy, _ = world
    run(uow, who, policy, "notice_preference", {"email": "on", "sms": "", "paper": "on"})
    assert (customer.notice_by_email, customer.notice_by_sms, customer.notice_on_paper) == (True, False, True)
    with pytest.raises(InvalidInput):
        run(uow, who, policy, "notice_preference", {})


def test_dividend_option_only_for_participating_policies(uow, world):
    _, who, whole_life, term = world
    run(uow, who, whole_life, "dividend_option", {"option": "paid_up_additions"})
    assert whole_life.dividend_option == "paid_up_additions"
    with pytest.raises(NotPermitted):
        run(uow, who, term, "dividend_option", {"option": "cash"})
    with pytest.raises(InvalidInput):
        run(uow, who, whole_life, "dividend_option", {"option": "lottery"})


def test_automatic_premium_loan_toggles_and_needs_a_product_that_lends(uow, world):
    _, who, whole_life, term = world
    run(uow, who, whole_life, "automatic_premium_loan", {"apl": "on"})
    assert whole_life.automatic_premium_loan
    with pytest.raises(NotPermitted):  # term cover lends nothing
        run(uow, who, term, "automatic_premium_loan", {"apl": "on"})


def test_premium_mode_changes_from_the_next_anniversary(uow, world):
    _, who, whole_life, _ = world
    request = run(uow, who, whole_life, "premium_mode", {"mode": "monthly"})
    assert whole_life.next_premium_mode == "monthly" and whole_life.premium_mode == "annual"
    import json

    outcome = json.loads(request.outcome)
    assert outcome["from"] == "2027-03-01"
    assert Decimal(outcome["premium"]) == (Decimal("7000.00") * Decimal("0.088")).quantize(Decimal("0.01"))


def test_beneficiaries_shares_must_add_up_per_rank(uow, world):
    _, who, whole_life, _ = world
    bad = [{"name": "李雷", "relationship": "spouse", "rank": "1", "share": "60"},
           {"name": "韩梅梅", "relationship": "child", "rank": "1", "share": "39.99"}]
    with pytest.raises(InvalidInput) as error:
        run(uow, who, whole_life, "beneficiaries", {"beneficiaries": bad})
    assert error.value.params == {"rank": 1, "total": "99.99"}
    good = [{"name": "李雷", "relationship": "spouse", "rank": "1", "share": "60"},
            {"name": "韩梅梅", "relationship": "child", "rank": "1", "share": "40.00", "id_number": "11010519491231002X"},
            {"name": "李父", "relationship": "parent", "rank": "2", "share": "100"}]
    request = run(uow, who, whole_life, "beneficiaries", {"beneficiaries": good})
    assert request.status == "applied"
    shares = sorted((b.rank, b.name, b.share) for b in whole_life.beneficiaries)
    assert shares == [(1, "李雷", Decimal("60.00")), (1, "韩梅梅", Decimal("40.00")), (2, "李父", Decimal("100.00"))]
    assert next(b for b in whole_life.beneficiaries if b.name == "韩梅梅").id_number_cipher


@pytest.mark.parametrize("share", ["0", "-5", "100.001", "abc", "", "1e2"])
def test_bad_shares_are_refused(uow, world, share):
    _, who, whole_life, _ = world
    with pytest.raises(InvalidInput):
        run(uow, who, whole_life, "beneficiaries",
            {"beneficiaries": [{"name": "李雷", "relationship": "spouse", "rank": "1", "share": share}]})


def test_new_mobile_needs_the_code_sent_to_the_mobile_on_file_and_the_one_sent_to_the_new_number(uow, world):
    customer, who, whole_life, _ = world
    request = run(uow, who, whole_life, "contact_phone", {"mobile": "139 8888 7777"}, code=False)
    sent = dict(uow.session.execute(select(OutboxMessage.kind, OutboxMessage.recipient)
                                    .where(OutboxMessage.body.contains(request.reference))).all())
    assert sent == {"servicing_code": "+8613622223333", "servicing_contact_code": "+8613988887777"}
    old_code, new_code = (_code_of(uow, request.reference, kind) for kind in ("servicing_code", "servicing_contact_code"))
    alone = engine.confirm(uow, who, request.reference, old_code)  # the old mobile's code alone does not do
    assert alone.result == "wrong_contact_code" and alone.field == "contact_code"
    instead = engine.confirm(uow, who, request.reference, new_code, new_code)  # nor the new number's in its place
    assert instead.result == "wrong_code" and request.status == "awaiting_code"
    assert customer.mobile == "+8613622223333" and request.code_attempts == 2 and instead.attempts_left == 3
    assert engine.confirm(uow, who, request.reference, old_code, new_code).confirmed
    assert customer.mobile == "+8613988887777"


def _code_of(uow, reference, kind):
    return sms_code(uow, reference, kind=kind)


def test_someone_elses_email_cannot_be_taken(uow, world):
    _, who, whole_life, _ = world
    make_policyholder(uow, email="taken@example.com")
    with pytest.raises(InvalidInput):
        run(uow, who, whole_life, "contact_email", {"email": "taken@example.com"})


def test_payment_method_with_a_new_bank_account(uow, world):
    customer, who, whole_life, _ = world
    run(uow, who, whole_life, "payment_method",
        {"method": "bank_debit", "new_bank_name": "招商银行", "new_account_number": "6225 8801 2345 6789"})
    assert len(customer.bank_accounts) == 2 and whole_life.debit_bank_account_id == customer.bank_accounts[1].id
    assert "6225880123456789" not in customer.bank_accounts[1].account_cipher


def test_document_reissue_raises_an_event(uow, world):
    _, who, whole_life, _ = world
    request = run(uow, who, whole_life, "document_reissue", {})
    kinds = uow.session.execute(select(PolicyEvent.type, PolicyEvent.reference).where(
        PolicyEvent.policy_id == whole_life.id)).all()
    assert ("policy_issued", request.reference) in kinds and ("endorsement", request.reference) in kinds


def test_name_correction_waits_for_a_clerk_who_did_not_submit_it(uow, world):
    customer, who, whole_life, _ = world
    document = uploads.upload(uow, who, customer.id, purpose="name_id_correction", subject="request",
                              filename="id.pdf", data=PDF)
    request = run(uow, who, whole_life, "name_id_correction", {"name": "张伟伟", "document": document.reference})
    assert request.status == "pending_review" and request.review_queue == "clerk"
    clerk = principal_of(make_staff(uow, role="clerk").account)
    adjuster = principal_of(make_staff(uow, role="adjuster").account)
    with pytest.raises(NotPermitted):
        engine.decide(uow, adjuster, request.reference, approve=True, note="looks fine")
    engine.decide(uow, clerk, request.reference, approve=True, note="ID card matches")
    assert request.status == "applied" and customer.name == "张伟伟"


@pytest.mark.parametrize(("data", "name"), [(b"", "empty.pdf"), (b"MZ\x90\x00 not a pdf", "id.pdf"),
                                             (b"%PDF" + b"x" * (10 * 1024 * 1024), "huge.pdf")])
def test_bad_uploads_are_refused_and_nothing_is_stored(uow, world, platform, data, name):
    customer, who, _, _ = world
    with pytest.raises(InvalidInput):
        uploads.upload(uow, who, customer.id, purpose="name_id_correction", subject="request", filename=name, data=data)
    assert uow.session.scalar(select(Document.id)) is None
    assert not list((platform.objects._folder).rglob("*")) if platform.objects._folder.exists() else True


def test_an_upload_is_read_back_only_by_its_owner(uow, world):
    customer, who, _, _ = world
    document = uploads.upload(uow, who, customer.id, purpose="claim", subject="x", filename="../../etc/a.png",
                              data=b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert document.filename == "a.png" and document.content_type == "image/png"
    assert uploads.read(uow, customer.id, document.reference)[1].startswith(b"\x89PNG")
    stranger, _ = make_policyholder(uow)
    from paas.errors import NotFound

    with pytest.raises(NotFound):
        uploads.read(uow, stranger.id, document.reference)
