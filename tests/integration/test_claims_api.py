"""Claims through the JSON API: reporting (a new payee account included), the list, one claim
with its timeline and documents, uploading and downloading; 4xx answers in the caller's
language naming the field; bad uploads leave nothing; nobody else reaches the claim; the
responses are what the OpenAPI document says."""
from __future__ import annotations

import pytest

from tests.claims_support import FACTS, PDF, PNG, documents, make_claimant, stored_objects
from tests.factories import PASSWORD
from tests.integration.test_external_accounts_api import Api
from tests.servicing_support import multipart

EN = {"Accept-Language": "en"}


@pytest.fixture
def claimant(uow, web):
    claimant = make_claimant(uow, "api-claimant@example.com", "+8613722223333")
    web.login(claimant.email, PASSWORD)
    return claimant


@pytest.fixture
def api(claimant, web) -> Api:
    return Api(web)


def _body(policy, **fields):
    return {"policy_number": policy.policy_number, "kind": "hospitalisation", "incident_date": "2026-11-01",
            "facts": FACTS, **fields}


def _upload(api, reference, code, data, filename="scan.pdf"):
    body, content_type = multipart({"document_type": code}, {"file": (data, filename)})
    return api.client.post(f"/api/v1/claims/{reference}/documents", data=body, content_type=content_type,
                           headers={"X-CSRFToken": api.token, **EN})


def test_report_list_read_upload_download(api, claimant):
    reported = api.send("POST", "/claims", _body(claimant.critical_illness), headers=EN)
    assert reported.status_code == 201, reported.json
    claim = reported.json
    reference = claim["reference"]
    assert reported.headers["Location"] == f"/api/v1/claims/{reference}"
    assert claim["status"] == "reported" and claim["status_label"] == "Reported"
    assert [d["code"] for d in claim["missing_documents"]] == ["discharge_summary", "invoices", "id_card"]
    assert claim["timeline"][0]["status"] == "reported" and claim["facts"] == FACTS
    stored = _upload(api, reference, "invoices", PNG, "invoice.png")
    assert stored.status_code == 201 and stored.json["content_type"] == "image/png"
    again = api.get(f"/claims/{reference}").json
    assert [d["code"] for d in again["missing_documents"]] == ["discharge_summary", "id_card"]
    download = api.get(again["documents"][0]["download"].removeprefix("/api/v1"))
    assert download.status_code == 200 and download.data == PNG and download.headers["Content-Type"] == "image/png"
    assert [c["reference"] for c in api.get("/claims").json["claims"]] == [reference]


def test_a_new_payee_account_and_field_errors_in_the_callers_language(api, claimant):
    wrong = api.send("POST", "/claims", _body(claimant.critical_illness, new_bank_account={"bank_name": "招商银行",
                                                                                          "account_number": "12"}), headers=EN)
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "account_number"
    chinese = api.send("POST", "/claims", _body(claimant.critical_illness, incident_date="yesterday"),
                       headers={"Accept-Language": "zh-CN"})
    english = api.send("POST", "/claims", _body(claimant.critical_illness, incident_date="yesterday"), headers=EN)
    message = "Enter the date it happened as a real date, YYYY-MM-DD."
    assert english.json["error"] == {"code": "invalid_input", "field": "incident_date", "message": message,
                                     "errors": [{"field": "incident_date", "message": message}]}
    assert chinese.status_code == 422 and chinese.json["error"]["field"] == "incident_date"
    unknown = api.send("POST", "/claims", _body(claimant.critical_illness, iban="x"), headers=EN)
    assert unknown.status_code == 422 and unknown.json["error"]["field"] == "iban"
    assert api.send("POST", "/claims", ["not", "an", "object"], headers=EN).status_code == 400
    ok = api.send("POST", "/claims", _body(claimant.critical_illness, new_bank_account={
        "bank_name": "招商银行", "account_number": "6225880198765432"}), headers=EN)
    assert ok.status_code == 201
    no_csrf = api.client.post("/api/v1/claims", json=_body(claimant.whole_life, kind="death"))
    assert no_csrf.status_code == 400


@pytest.mark.parametrize(("data", "message"), [(b"GIF89a not allowed", "Only PDF, JPEG and PNG"), (b"", "empty")])
def test_bad_uploads_are_refused_and_nothing_is_stored(api, uow, claimant, tmp_path, data, message):
    reference = api.send("POST", "/claims", _body(claimant.critical_illness)).json["reference"]
    refused = _upload(api, reference, "id_card", data, "photo.png")
    assert refused.status_code == 422 and message in refused.json["error"]["message"]
    assert documents(uow) == 0 and stored_objects(tmp_path) == []
    assert _upload(api, reference, "passport", PDF).json["error"]["field"] == "document_type"


def test_another_policyholder_reaches_nothing(api, uow, claimant, other_web):
    reference = api.send("POST", "/claims", _body(claimant.critical_illness)).json["reference"]
    document = _upload(api, reference, "id_card", PDF).json["reference"]
    make_claimant(uow, "api-neighbour@example.com", "+8613722224444")
    other_web.login("api-neighbour@example.com", PASSWORD)
    other = Api(other_web)
    assert other.get("/claims").json == {"claims": []}
    assert other.get(f"/claims/{reference}", headers=EN).status_code == 404
    assert other.get(f"/claims/{reference}/documents/{document}").status_code == 404
    assert _upload(other, reference, "invoices", PDF).status_code == 404
    stolen = other.send("POST", "/claims", _body(claimant.critical_illness, kind="death"), headers=EN)
    assert stolen.status_code == 404 and "among your policies" in stolen.json["error"]["message"]


def test_responses_match_the_openapi_document(api, claimant):
    import jsonschema
    from openapi_spec_validator import validate

    from tests.integration.test_api import _json_schema

    document = api.get("/openapi.json").json
    validate(document)
    components = document["components"]["schemas"]

    def check(body, name):
        jsonschema.validate(body, _json_schema({**components[name], "components": {"schemas": components}}))

    claim = api.send("POST", "/claims", _body(claimant.critical_illness)).json
    check(claim, "Claim")
    check(_upload(api, claim["reference"], "id_card", PDF).json, "ClaimDocument")
    check(api.get(f"/claims/{claim['reference']}").json, "Claim")
    check(api.get("/claims").json, "ClaimList")
    check(_upload(api, claim["reference"], "id_card", b"").json, "InputError")
    check(_body(claimant.critical_illness, new_bank_account={"bank_name": "a", "account_number": "1"}), "ClaimInput")
    withdrawn = api.send("POST", f"/claims/{claim['reference']}/withdraw", None)
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    check(withdrawn.json, "Claim")
    again = api.send("POST", f"/claims/{claim['reference']}/withdraw", None, headers=EN)
    assert again.status_code == 422 and "can be withdrawn" in again.json["error"]["message"]
    check(again.json, "InputError")
    for path in ("/claims", "/claims/{reference}", "/claims/{reference}/documents", "/claims/{reference}/documents/{document}",
                 "/claims/{reference}/withdraw"):
        assert path in document["paths"]


def test_an_upload_over_the_request_limit_is_a_json_413_naming_the_10_mb_limit(uow, api, claimant):
    reference = api.send("POST", "/claims", _body(claimant.critical_illness), headers=EN).json["reference"]
    answer = _upload(api, reference, "id_card", bytes(25 * 1024 * 1024))
    assert answer.status_code == 413 and answer.json["error"] == {"code": "too_large", "message": "The file is larger than 10 MB."}
    assert documents(uow) == 0
