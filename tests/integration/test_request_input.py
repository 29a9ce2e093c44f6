"""What any request may carry (saas.request_input), at the one place it is checked: a JSON body
too deep or too large is refused before it is parsed, on every JSON operation the OpenAPI
document lists; a control character in any text (web form, console form, query string, JSON
string or key) is a 422 naming the field, in a path a 404, never a 500 (PostgreSQL cannot
store NUL)."""
from __future__ import annotations

import re

import pytest

from saas.request_input import MAX_JSON_DEPTH, json_depth
from tests.factories import PASSWORD, make_external_account, make_policyholder, make_staff
from tests.integration.test_console import _sign_in

CJK = re.compile(r"[\u4e00-\u9fff]")
DEEP = "[" * 2000 + "]" * 2000
FORM = {"name": "工资卡", "kind": "bank", "institution": "招商银行", "balance": "12,345.60", "as_of": "2026-11-01"}


@pytest.fixture
def alice(uow, web):
    account = make_policyholder(uow, name="王丽", email="input-alice@example.com")[1]
    uow.commit()
    web.login("input-alice@example.com", PASSWORD)
    return account


def _json_operations(web) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document that takes a JSON body, path parameters filled in."""
    document = web.get("/api/v1/openapi.json").json
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                found.append((method.upper(), "/api/v1" + re.sub(r"\{[^}]+\}", "P0000000001", path)))
    return found


def test_depth_is_counted_on_the_raw_text_without_brackets_in_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"a \\" [[[["') == 0 and json_depth(b"") == 0
    assert json_depth(DEEP.encode()) == 2000


def test_a_deeply_nested_body_is_refused_with_400_on_every_json_operation(web, alice):
    token = web.client.get("/api/v1/me").json["csrf_token"]
    operations = _json_operations(web)
    assert len(operations) >= 5, operations
    for method, path in operations:
        for language in ("zh", "en"):
            answer = web.client.open(path, method=method, data=DEEP, content_type="application/json",
                                     headers={"X-CSRFToken": token, "Accept-Language": language})
            assert answer.status_code == 400, (method, path, answer.status_code)
            message = answer.json["error"]["message"]
            assert (CJK.search(message) is not None) == (language == "zh") and str(MAX_JSON_DEPTH) in message
    shallow = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH  # as deep as allowed: the endpoint's own answer
    answer = web.client.post("/api/v1/external-accounts", data=shallow, content_type="application/json",
                             headers={"X-CSRFToken": token})
    assert answer.status_code == 422


def test_a_json_body_over_the_size_limit_is_413_with_a_message(web, alice):
    token = web.client.get("/api/v1/me").json["csrf_token"]
    answer = web.client.post("/api/v1/external-accounts", json={"name": "x" * 300_000},
                             headers={"X-CSRFToken": token, "Accept-Language": "en"})
    assert answer.status_code == 413 and "too large" in answer.json["error"]["message"]


@pytest.mark.parametrize("field", ["name", "institution"])
def test_a_nul_byte_in_an_external_account_is_422_naming_the_field_in_web_and_api(uow, web, alice, field):
    page = web.post_form("/assets/external/new", {**FORM, field: "工资\x00卡"})
    assert page.status_code == 422 and f"{field}中含有无法接受的字符（控制字符）" in page.get_data(as_text=True)
    token = web.client.get("/api/v1/me").json["csrf_token"]
    body = {"name": "工资卡", "kind": "bank", "institution": "招商银行", "balance": "100.00", "as_of": "2026-11-01", field: "a\x00b"}
    for language in ("zh", "en"):
        answer = web.client.post("/api/v1/external-accounts", json=body,
                                 headers={"X-CSRFToken": token, "Accept-Language": language})
        assert answer.status_code == 422 and answer.json["error"]["field"] == field
        assert field in answer.json["error"]["message"]
    account = make_external_account(uow, alice)
    uow.commit()
    changed = web.client.patch(f"/api/v1/external-accounts/{account.reference}", json={field: "\x07"},
                               headers={"X-CSRFToken": token})
    assert changed.status_code == 422 and changed.json["error"]["field"] == field


def test_other_control_characters_keys_paths_and_query_strings_are_refused_too(web, alice):
    token = web.client.get("/api/v1/me").json["csrf_token"]
    nested = {"dues": [{"policy_number": "P\x1b0001", "due_date": "2026-10-20"}]}
    answer = web.client.post("/api/v1/payments", json=nested, headers={"X-CSRFToken": token})
    assert answer.status_code == 422 and answer.json["error"]["field"] == "dues[0].policy_number"
    key = web.client.post("/api/v1/external-accounts", json={"na\x00me": "x"}, headers={"X-CSRFToken": token})
    assert key.status_code == 422 and key.json["error"]["field"] == "na?me"
    escaped = web.client.post("/api/v1/external-accounts", data='{"name": "\\u0000"}', content_type="application/json",
                              headers={"X-CSRFToken": token})
    assert escaped.status_code == 422 and escaped.json["error"]["field"] == "name"
    surrogate = web.client.post("/api/v1/external-accounts", data='{"name": "\\ud800"}', content_type="application/json",
                                headers={"X-CSRFToken": token})
    assert surrogate.status_code == 422
    assert web.get("/api/v1/policies/P%00").status_code == 404 and web.get("/api/v1/policies/P%00").json["error"]
    assert web.get("/pay", query_string={"x": "\x00"}).status_code == 422


def test_tab_and_crlf_stay_accepted_in_text(web, alice):
    answer = web.post_form("/assets/external/new", {**FORM, "name": "工资卡\t一", "institution": "招商\r\n银行"})
    assert answer.status_code in (302, 303), answer.status_code


def test_a_console_form_with_a_nul_byte_is_422_naming_the_field(uow, web, clock):
    staff = make_staff(uow, role="clerk")
    customer, _ = make_policyholder(uow)
    uow.commit()
    _sign_in(web, staff, clock)
    path = f"/console/customers/{customer.customer_number}"
    answer = web.post_form(f"{path}/reveal", {"field": "id_number", "reason": "Customer called\x00 to verify"}, token_from=path)
    assert answer.status_code == 422 and "reason中含有无法接受的字符" in answer.get_data(as_text=True)
    search = web.get("/console/", query_string={"q": "P000\x00"})
    assert search.status_code == 422 and "q中含有无法接受的字符" in search.get_data(as_text=True)


def test_a_form_part_whose_name_breaks_its_header_is_400_not_500(web, alice):
    token = web.client.get("/api/v1/me").json["csrf_token"]
    body = (b"--b\r\nContent-Disposition: form-data; name=\"a\r\nb\"\r\n\r\nx\r\n--b--\r\n")
    answer = web.client.post("/api/v1/documents", data=body, content_type="multipart/form-data; boundary=b",
                             headers={"X-CSRFToken": token, "Accept-Language": "en"})
    assert answer.status_code == 400 and answer.json["error"]["message"]
