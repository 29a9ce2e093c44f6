"""Policy servicing through the JSON API: the services with reasons, a preview that keeps
nothing, submitting with an Idempotency-Key, the SMS code and its attempts limit, documents,
cancelling; answers in the caller's language and as the OpenAPI document describes them."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from paas.policies.ledger import balance
from paas.servicing.models import ServiceRequest
from paas.servicing.step_up import MAX_ATTEMPTS
from tests.factories import PASSWORD
from tests.integration.test_external_accounts_api import Api
from tests.servicing_support import PDF, address, make_holder, multipart, sms_code, wrong

EN = {"Accept-Language": "en"}


@pytest.fixture
def holder(uow, web):
    holder = make_holder(uow, "api-servicing@example.com", "+8613833334444")
    web.login(holder.email, PASSWORD)
    return holder


@pytest.fixture
def api(holder, web) -> Api:
    return Api(web)


def _submit(api, policy, kind, body, key, **headers):
    return api.send("POST", f"/policies/{policy.policy_number}/services/{kind}", body,
                    headers={"Idempotency-Key": key, **EN, **headers})


def _count(uow):
    uow.session.expire_all()
    return uow.session.scalar(select(func.count(ServiceRequest.id)))


def test_services_say_what_is_available_and_why_not(api, holder):
    body = api.get(f"/policies/{holder.term.policy_number}/services", headers=EN).json
    services = {s["kind"]: s for s in body["services"]}
    assert services["contact_address"]["available"] and services["contact_address"]["reason"] is None
    assert services["dividend_option"] == {**services["dividend_option"], "available": False,
                                           "reason": "Only participating policies pay dividends."}
    withdrawal = next(s for s in api.get(f"/policies/{holder.whole_life.policy_number}/services").json["services"]
                      if s["kind"] == "dividend_withdrawal")
    assert withdrawal["available"] and withdrawal["step_up"] == "sms"
    assert [f["kind"] for f in withdrawal["fields"]] == ["money", "bank_account"]
    assert body["bank_accounts"] == [{"position": 1, "bank_name": "中国银行", "number_masked": "**** 2333"}]


def test_a_preview_checks_and_shows_but_keeps_nothing(api, uow, holder):
    path = f"/policies/{holder.whole_life.policy_number}/services/dividend_withdrawal/preview"
    shown = api.send("POST", path, {"amount": "300", "bank_account": "1"}, headers=EN)
    assert shown.status_code == 200
    assert shown.json["step_up"] == "sms" and shown.json["preview"][0] == {
        "label": "Held for you", "before": "1000.00", "after": "700.00", "kind": "money"}
    too_much = api.send("POST", path, {"amount": "1000.01"}, headers=EN)
    assert too_much.status_code == 422 and too_much.json["error"]["field"] == "amount"
    assert "1,000.00" in too_much.json["error"]["message"]
    unknown = api.send("POST", path, {"amount": "1", "iban": "x"}, headers=EN)
    assert unknown.status_code == 422 and unknown.json["error"]["field"] == "iban"
    assert _count(uow) == 0 and balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")


def test_an_address_change_applies_and_a_repeated_key_is_the_same_request(api, uow, holder):
    first = _submit(api, holder.whole_life, "contact_address", address(), "key-1")
    assert first.status_code == 201 and first.json["status"] == "applied" and first.json["channel"] == "api"
    assert first.headers["Location"] == f"/api/v1/requests/{first.json['reference']}"
    again = _submit(api, holder.whole_life, "contact_address", address("中关村1号", province="北京市", city="北京市", district="海淀区"), "key-1")
    assert again.json["reference"] == first.json["reference"] and _count(uow) == 1
    missing_key = api.send("POST", f"/policies/{holder.whole_life.policy_number}/services/contact_address",
                           address("中关村1号", province="北京市", city="北京市", district="海淀区"), headers=EN)
    assert missing_key.status_code == 400 and "Idempotency-Key" in missing_key.json["error"]["message"]
    no_csrf = api.client.post(f"/api/v1/policies/{holder.whole_life.policy_number}/services/contact_address",
                              json=address("中关村1号", province="北京市", city="北京市", district="海淀区"), headers={"Idempotency-Key": "key-2"})
    assert no_csrf.status_code == 400 and no_csrf.json["error"]["code"] == "csrf"
    assert _count(uow) == 1


def test_a_dividend_withdrawal_with_the_sms_code(api, uow, holder):
    started = _submit(api, holder.whole_life, "dividend_withdrawal", {"amount": "400", "bank_account": "1"}, "wd-1").json
    assert started["status"] == "awaiting_code" and started["code_sent_to"] == "+86 138****4444"
    reference = started["reference"]
    code = sms_code(uow, reference)
    bad = api.send("POST", f"/requests/{reference}/confirm", {"code": wrong(code)}, headers=EN)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "code"
    done = api.send("POST", f"/requests/{reference}/confirm", {"code": code}, headers=EN)
    assert done.status_code == 200 and done.json["status"] == "applied" and done.json["status_label"] == "Done"
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("600.00")
    assert [r["reference"] for r in api.get("/requests").json["requests"]] == [reference]



def test_a_submit_and_a_confirm_answer_what_the_request_reads_back(api, uow, holder):
    """They answer from the engine's objects, not from a second read: they must agree with one."""
    def read_back(reference):
        return api.get(f"/requests/{reference}", headers=EN).json

    applied = _submit(api, holder.whole_life, "contact_address", address(), "same-1").json
    assert applied["status"] == "applied" and applied == read_back(applied["reference"])
    repeated = _submit(api, holder.whole_life, "contact_address", address(), "same-1").json
    assert repeated == read_back(applied["reference"])
    started = _submit(api, holder.whole_life, "dividend_withdrawal", {"amount": "400", "bank_account": "1"}, "same-2").json
    assert started["status"] == "awaiting_code" and started == read_back(started["reference"])
    done = api.send("POST", f"/requests/{started['reference']}/confirm", {"code": sms_code(uow, started["reference"])},
                    headers=EN).json
    assert done["status"] == "applied" and done["outcome"] and done == read_back(started["reference"])

def test_six_wrong_codes_lock_the_request(api, uow, holder):
    reference = _submit(api, holder.whole_life, "dividend_withdrawal", {"amount": "10"}, "wd-2").json["reference"]
    code = sms_code(uow, reference)
    for attempt in range(1, MAX_ATTEMPTS):
        answer = api.send("POST", f"/requests/{reference}/confirm", {"code": wrong(code)})
        assert answer.status_code == 422 and answer.json["error"]["attempts_left"] == MAX_ATTEMPTS - attempt
    locked = api.send("POST", f"/requests/{reference}/confirm", {"code": wrong(code)}, headers=EN)
    assert locked.status_code == 429 and "Too many wrong codes" in locked.json["error"]["message"]
    assert locked.json["error"]["code"] == "locked"
    assert api.send("POST", f"/requests/{reference}/confirm", {"code": code}).status_code == 409
    assert api.get(f"/requests/{reference}").json["status"] == "expired"
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")


def test_a_name_correction_with_an_uploaded_document_waits_for_a_clerk(api, uow, holder):
    body, content_type = multipart({"purpose": "name_id_correction"}, {"file": (PDF, "id.pdf")})
    uploaded = api.client.post("/api/v1/documents", data=body, content_type=content_type,
                               headers={"X-CSRFToken": api.token})
    assert uploaded.status_code == 201 and uploaded.json["content_type"] == "application/pdf"
    request = _submit(api, holder.whole_life, "name_id_correction",
                      {"name": "张伟伟", "document": uploaded.json["reference"]}, "nc-1").json
    assert request["status"] == "pending_review" and request["review_queue"] == "clerk"
    body, content_type = multipart({}, {"file": (b"GIF89a not accepted", "a.gif")})
    refused = api.client.post("/api/v1/documents", data=body, content_type=content_type,
                              headers={"X-CSRFToken": api.token, **EN})
    assert refused.status_code == 422 and "Only PDF, JPEG and PNG" in refused.json["error"]["message"]


def test_cancelling_and_what_is_not_open_any_more(api, holder):
    reference = _submit(api, holder.whole_life, "dividend_withdrawal", {"amount": "10"}, "wd-3").json["reference"]
    blocked = _submit(api, holder.whole_life, "survival_benefit_withdrawal", {"amount": "1"}, "wd-4")
    assert blocked.status_code == 403  # nothing held: not available
    assert api.send("DELETE", f"/requests/{reference}").json["status"] == "cancelled"
    again = api.send("DELETE", f"/requests/{reference}", headers=EN)
    assert again.status_code == 422 and "no longer waiting" in again.json["error"]["message"]


def test_another_customers_policy_and_requests_are_not_found(api, uow, holder, other_web):
    other = make_holder(uow, "api-servicing-other@example.com", "+8613833335555")
    other_web.login(other.email, PASSWORD)
    theirs = Api(other_web)
    reference = _submit(theirs, other.whole_life, "dividend_withdrawal", {"amount": "10"}, "o-1").json["reference"]
    number = other.whole_life.policy_number
    for response in (api.get(f"/policies/{number}/services"), api.get(f"/requests/{reference}"),
                     api.send("POST", f"/policies/{number}/services/contact_address/preview", address("1号路")),
                     _submit(api, other.whole_life, "contact_address", address("1号"), "x-1"),
                     api.send("POST", f"/requests/{reference}/confirm", {"code": sms_code(uow, reference)}),
                     api.send("DELETE", f"/requests/{reference}")):
        assert response.status_code == 404
    assert theirs.get(f"/requests/{reference}").json["status"] == "awaiting_code"


def test_errors_are_in_the_callers_language(api, holder):
    path = f"/policies/{holder.whole_life.policy_number}/services/contact_address/preview"
    english = api.send("POST", path, address(postcode="x"), headers=EN).json["error"]["message"]
    assert english == "A postcode is 6 digits."
    missing = "/policies/P0000099990/services"
    assert "among your policies" in api.get(missing, headers=EN).json["error"]["message"]
    assert "在您名下的保单中未找到保单" in api.get(missing, headers={"Accept-Language": "zh-CN"}).json["error"]["message"]
    assert api.send("POST", path, ["not", "an", "object"]).status_code == 400


def test_responses_match_the_openapi_document(api, uow, holder):
    import jsonschema
    from openapi_spec_validator import validate

    from tests.integration.test_api import _json_schema

    document = api.get("/openapi.json").json
    validate(document)
    components = document["components"]["schemas"]

    def check(body, name):
        jsonschema.validate(body, _json_schema({**components[name], "components": {"schemas": components}}))

    number = holder.whole_life.policy_number
    check(api.get(f"/policies/{number}/services").json, "ServiceList")
    check(api.send("POST", f"/policies/{number}/services/dividend_withdrawal/preview", {"amount": "1"}).json, "ServicePreview")
    started = _submit(api, holder.whole_life, "dividend_withdrawal", {"amount": "1"}, "oa-1").json
    check(started, "ServiceRequest")
    check(api.send("POST", f"/requests/{started['reference']}/confirm", {"code": "000000"}).json, "InputError")
    check(api.send("POST", f"/requests/{started['reference']}/confirm", {"code": sms_code(uow, started["reference"])}).json,
          "ServiceRequest")
    check(api.get("/requests").json, "ServiceRequestList")
    check({"code": "123456"}, "ConfirmInput")
    for path in ("/policies/{policy_number}/services", "/policies/{policy_number}/services/{kind}/preview",
                 "/policies/{policy_number}/services/{kind}", "/requests", "/requests/{reference}",
                 "/requests/{reference}/confirm", "/documents"):
        assert path in document["paths"]
