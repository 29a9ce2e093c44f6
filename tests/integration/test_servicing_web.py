"""Policy servicing in the policyholder web: the services page with its reasons, forms built
from each transaction's fields, the code from the outbox, the attempts limit, uploads, the
history; nothing of another customer's within reach."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from paas.documents.models import Document
from paas.policies.ledger import balance
from paas.servicing.models import ServiceRequest
from paas.servicing.step_up import MAX_ATTEMPTS
from tests.factories import PASSWORD
from tests.servicing_support import PDF, address, make_holder, multipart, sms_code, wrong

EN = {"lang": "en"}


@pytest.fixture
def holder(uow, web):
    holder = make_holder(uow, "web-servicing@example.com", "+8613811112222")
    web.login(holder.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    return holder


def _form(web, path: str, data: dict, **kwargs):
    """Send a service form as the page renders it: its CSRF token and its idempotency key."""
    page = web.text(path)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    return web.post_form(path, {"idempotency_key": key, **data}, token_from=path, **kwargs), key


def _upload_form(web, path: str, data: dict, files: dict):
    page = web.text(path)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    body, content_type = multipart({"csrf_token": web.csrf_token(path), "idempotency_key": key, **data}, files)
    return web.client.post(path, data=body, content_type=content_type)


def _requests(uow):
    uow.session.expire_all()
    return uow.session.scalars(select(ServiceRequest).order_by(ServiceRequest.id)).all()


def test_the_services_page_lists_every_service_and_why_some_are_not_available(uow, web, holder):
    from paas.servicing.registry import all_transactions

    page = web.text(f"/policies/{holder.term.policy_number}/services")
    for txn in all_transactions():
        assert f'data-test="service-{txn.kind}"' in page
    classes, card = re.search(r'<li class="([^"]*)" data-test="service-dividend_option">(.*?)</li>', page, re.S).groups()
    assert "unavailable" in classes and "Only participating policies pay dividends." in card
    assert "There is nothing to withdraw." in page  # no survival benefits held
    whole_life = web.text(f"/policies/{holder.whole_life.policy_number}/services")
    assert 'data-test="open-dividend_withdrawal"' in whole_life
    assert 'data-test="services-link"' in web.text(f"/policies/{holder.whole_life.policy_number}")


def test_an_address_change_applies_at_once_and_a_double_submit_is_one_request(uow, web, holder):
    path = f"/policies/{holder.whole_life.policy_number}/services/contact_address"
    answer, key = _form(web, path, address())
    assert answer.status_code == 303
    done = web.text(answer.headers["Location"])
    assert 'data-test="done"' in done and "上海市黄浦区南京东路100号" in done
    again = web.post_form(path, {"idempotency_key": key, **address("中关村大街1号", province="北京市", city="北京市", district="海淀区")}, token_from=path)
    assert again.headers["Location"] == answer.headers["Location"]
    uow.session.expire_all()
    assert holder.customer.address == "上海市黄浦区南京东路100号" and len(_requests(uow)) == 1
    history = web.text("/requests")
    assert answer.headers["Location"].rsplit("/", 1)[1] in history and "Done" in history


def test_a_dividend_withdrawal_is_confirmed_with_the_code_sent_by_sms(uow, web, holder):
    path = f"/policies/{holder.whole_life.policy_number}/services/dividend_withdrawal"
    form = web.text(path)
    assert "中国银行 **** 2333" in form
    answer, _ = _form(web, path, {"amount": "400", "bank_account": "1"})
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    waiting = web.text(f"/requests/{reference}")
    assert "+86 138****2222" in waiting and "¥600.00" in waiting and 'data-test="confirm"' in waiting
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")
    confirmed = web.post_form(f"/requests/{reference}/confirm", {"code": sms_code(uow, reference)},
                              token_from=f"/requests/{reference}")
    assert confirmed.status_code == 303
    assert 'data-test="done"' in web.text(f"/requests/{reference}")
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("600.00")


def test_six_wrong_codes_lock_the_request_even_though_each_answer_is_an_error(uow, web, holder):
    path = f"/policies/{holder.whole_life.policy_number}/services/dividend_withdrawal"
    reference = _form(web, path, {"amount": "10", "bank_account": "1"})[0].headers["Location"].rsplit("/", 1)[1]
    code, page = sms_code(uow, reference), f"/requests/{reference}"
    for attempt in range(1, MAX_ATTEMPTS):
        answer = web.post_form(f"{page}/confirm", {"code": wrong(code)}, token_from=page)
        assert answer.status_code == 422 and "That code is not right" in answer.get_data(as_text=True)
        assert f"You have {MAX_ATTEMPTS - attempt} more tries" in answer.get_data(as_text=True)
        assert _requests(uow)[-1].code_attempts == attempt  # kept despite the 4xx answer
    last = web.post_form(f"{page}/confirm", {"code": wrong(code)}, token_from=page)
    assert last.status_code == 429 and "Too many wrong codes" in last.get_data(as_text=True)
    right = web.post_form(f"{page}/confirm", {"code": code}, token_from=page)
    assert right.status_code == 409
    assert _requests(uow)[-1].status == "expired"  # it has ended: the policy is free for a new request
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")


def _beneficiaries(rows):
    data = {}
    for n, (name, relationship, rank, share) in enumerate(rows):
        data.update({f"beneficiaries-{n}-name": name, f"beneficiaries-{n}-relationship": relationship,
                     f"beneficiaries-{n}-rank": rank, f"beneficiaries-{n}-share": share})
    return data


def test_beneficiary_shares_that_add_up_to_99_99_are_refused(uow, web, holder):
    path = f"/policies/{holder.whole_life.policy_number}/services/beneficiaries"
    assert 'value="受益人"' in web.text(path)  # the editor starts from the beneficiaries on file
    bad, _ = _form(web, path, _beneficiaries([("李雷", "spouse", "1", "60"), ("韩梅梅", "child", "1", "39.99"),
                                              ("", "", "1", "")]))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "add up to 99.99%" in text and 'value="39.99"' in text
    assert _requests(uow) == []
    good, _ = _form(web, path, _beneficiaries([("李雷", "spouse", "1", "60"), ("韩梅梅", "child", "1", "40")]))
    reference = good.headers["Location"].rsplit("/", 1)[1]
    web.post_form(f"/requests/{reference}/confirm", {"code": sms_code(uow, reference)}, token_from=f"/requests/{reference}")
    uow.session.expire_all()
    assert sorted((b.name, b.share) for b in holder.whole_life.beneficiaries) == [("李雷", Decimal("60.00")),
                                                                                ("韩梅梅", Decimal("40.00"))]


def test_a_name_correction_uploads_the_id_document_and_waits_for_a_colleague(uow, web, holder):
    path = f"/policies/{holder.whole_life.policy_number}/services/name_id_correction"
    assert 'enctype="multipart/form-data"' in web.text(path)
    answer = _upload_form(web, path, {"name": "张伟伟"}, {"document": (PDF, "身份证.pdf")})
    assert answer.status_code == 303
    page = web.text(answer.headers["Location"])
    assert 'data-test="in-review"' in page and "张伟伟" in page
    document = uow.session.scalars(select(Document)).one()
    assert (document.content_type, document.filename, document.customer_id) == ("application/pdf", "身份证.pdf",
                                                                                holder.customer.id)


@pytest.mark.parametrize(("data", "message"), [
    (b"MZ\x90\x00 this is a program", "Only PDF, JPEG and PNG files are accepted"),
    (b"%PDF" + b"x" * (10 * 1024 * 1024), "larger than 10 MB"),
])
def test_a_refused_upload_is_explained_on_the_form_and_nothing_is_stored(uow, web, holder, platform, data, message):
    path = f"/policies/{holder.whole_life.policy_number}/services/name_id_correction"
    answer = _upload_form(web, path, {"name": "张伟伟"}, {"document": (data, "id.pdf")})
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert uow.session.scalar(select(func.count(Document.id))) == 0 and _requests(uow) == []
    folder = platform.objects._folder
    assert not folder.exists() or not [p for p in folder.rglob("*") if p.is_file()]


def test_cancelling_an_open_request_from_the_history(uow, web, holder):
    path = f"/policies/{holder.whole_life.policy_number}/services/dividend_withdrawal"
    reference = _form(web, path, {"amount": "10", "bank_account": "1"})[0].headers["Location"].rsplit("/", 1)[1]
    services = web.text(f"/policies/{holder.whole_life.policy_number}/services")
    assert f"Another change to this policy is still open (request {reference})" in services
    history = web.text("/requests")
    assert f'data-test="cancel-{reference}"' in history
    assert web.post_form(f"/requests/{reference}/cancel", {}, token_from="/requests").status_code == 303
    assert _requests(uow)[-1].status == "cancelled"
    assert f'data-test="cancel-{reference}"' not in web.text("/requests")


def test_another_customers_policy_and_requests_are_not_found(uow, web, other_web, holder):
    other = make_holder(uow, "web-servicing-other@example.com", "+8613811113333")
    other_web.login(other.email, PASSWORD)
    theirs = other.whole_life.policy_number
    path = f"/policies/{theirs}/services/contact_address"
    answer, _ = _form(other_web, path, address())
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    key_page = f"/policies/{holder.whole_life.policy_number}/services/contact_address"
    for response in (web.get(f"/policies/{theirs}/services"), web.get(path), web.get(f"/requests/{reference}"),
                     web.post_form(path, {"idempotency_key": "x1", **address("中关村1号", province="北京市", city="北京市", district="海淀区")}, token_from=key_page),
                     web.post_form(f"/requests/{reference}/confirm", {"code": "123456"}, token_from=key_page),
                     web.post_form(f"/requests/{reference}/cancel", {}, token_from=key_page)):
        assert response.status_code == 404
    assert reference not in web.text("/requests")
    uow.session.expire_all()
    assert other.customer.address == "上海市黄浦区南京东路100号"


def test_pages_need_a_signed_in_policyholder(uow, other_web, holder):
    for path in (f"/policies/{holder.whole_life.policy_number}/services", "/requests"):
        assert other_web.get(path).status_code == 302
    assert other_web.get(f"/policies/{holder.whole_life.policy_number}/services/no_such_thing").status_code == 302


def test_an_unknown_service_is_not_found(web, holder):
    assert web.get(f"/policies/{holder.whole_life.policy_number}/services/no_such_thing").status_code == 404


@pytest.mark.parametrize("product", ["WLPAR", "TERM", "ULINK"])
def test_every_registered_service_has_a_form_built_from_its_fields(uow, web, holder, product):
    from paas.servicing.offers import policy_offers
    from paas.servicing.registry import all_transactions
    from tests.factories import make_policy, principal_of

    policy = {"WLPAR": holder.whole_life, "TERM": holder.term}.get(product) or make_policy(
        uow, holder.customer, product="ULINK", term_years=None, mode="annual", premium="12000.00")
    uow.commit()
    offers = {o.kind: o for o in policy_offers(uow, principal_of(holder.account), policy.policy_number).offers}
    for txn in all_transactions():
        page = web.get(f"/policies/{policy.policy_number}/services/{txn.kind}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200, (txn.kind, text[-500:])
        if not offers[txn.kind].available:
            assert 'data-test="reason"' in text and 'data-test="service-form"' not in text
            continue
        for field in txn.fields:
            assert f'name="{field.name}"' in text or f'name="{field.name}-' in text, (txn.kind, field.name)


def test_a_status_in_a_reason_is_shown_by_its_label_on_the_page_and_when_submitted(uow, web, holder):
    holder.whole_life.status = "lapsed"
    uow.commit()
    path = f"/policies/{holder.whole_life.policy_number}/services/beneficiaries"
    assert "The policy is not in force (it is Lapsed)." in web.text(path)
    sent = web.post_form(path, {"idempotency_key": "lapsed-1"}, token_from=path)
    text = sent.get_data(as_text=True)
    assert sent.status_code == 403 and "(it is Lapsed)" in text and "(it is lapsed)" not in text
    assert _requests(uow) == []
