"""Servicing forms as a person meets them: every error shown at once, each at its field (web,
console and API alike); the address in its parts, starting from what is on file; and the
amount available shown before one types, for withdrawals, loans and surrenders."""
from __future__ import annotations

import re

import pytest

from paas.servicing.kinds.contact import display_address
from tests.factories import PASSWORD
from tests.integration.test_external_accounts_api import Api
from tests.servicing_support import address, make_holder, staff_signed_in

EN = {"Accept-Language": "en"}


@pytest.fixture
def holder(uow):
    return make_holder(uow, "forms@example.com", "+8613877778888")


def _form(web, path: str, data: dict):
    page = web.text(path)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    return web.post_form(path, {"idempotency_key": key, **data}, token_from=path)


def _field_errors(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-test="field-error" data-field="([a-z_]+)">([^<]+)<', page))


def test_the_address_form_starts_from_the_address_on_file_and_marks_every_wrong_part(uow, web, holder):
    holder.customer.address = "浙江省杭州市西湖区文三路1号"
    holder.customer.address_province, holder.customer.address_city = "浙江省", "杭州市"
    uow.commit()
    web.login(holder.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    path = f"/policies/{holder.whole_life.policy_number}/services/contact_address"
    page = web.text(path)
    assert "On file now: 浙江省杭州市西湖区文三路1号" in page
    assert 'name="province" value="浙江省"' in page and 'name="city" value="杭州市"' in page
    answer = _form(web, path, address(district="", postcode="20001"))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "2 fields need correcting" in text
    assert _field_errors(text) == {"district": "Between 2 and 40 characters, please.", "postcode": "A postcode is 6 digits."}
    assert text.count('aria-invalid="true"') == 2
    done = _form(web, path, address(province="北京市", city="北京市", district="海淀区", street="中关村大街1号"))
    assert done.status_code == 303
    uow.session.expire_all()
    customer = holder.customer
    assert (customer.address, customer.address_district, customer.address_postcode) == (
        "北京市海淀区中关村大街1号", "海淀区", "200001")


def test_the_display_string_names_a_municipality_once():
    assert display_address(address()) == "上海市黄浦区南京东路100号"
    assert display_address(address("文三路1号", province="浙江省", city="杭州市", district="西湖区")) == "浙江省杭州市西湖区文三路1号"


def test_the_available_amount_is_beside_the_field_before_one_types(uow, web, holder):
    web.login(holder.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    number = holder.whole_life.policy_number
    withdrawal = web.text(f"/policies/{number}/services/dividend_withdrawal")
    assert re.search(r'data-test="guide-amount">Held for you now: 1,000.00 yuan', withdrawal)
    loan = web.text(f"/policies/{number}/services/policy_loan")
    assert re.search(r'data-test="guide-amount">You can borrow up to [\d,]+\.\d\d yuan now', loan)
    surrender = web.text(f"/policies/{number}/services/surrender")
    assert re.search(r'data-test="guide-bank_account">Surrendering today pays [\d,]+\.\d\d yuan', surrender)


def test_a_withdrawal_over_the_balance_to_no_account_shows_both_errors_in_the_console(uow, web, clock, holder):
    staff_signed_in(uow, web, clock)
    web.client.set_cookie("lang", "en")
    path = f"/console/policies/{holder.whole_life.policy_number}/services/dividend_withdrawal"
    assert "Held for you now: 1,000.00 yuan" in web.text(path)
    answer = _form(web, path, {"amount": "5000", "bank_account": "7"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "2 fields need correcting" in text
    assert set(_field_errors(text)) == {"amount", "bank_account"}
    assert "1,000.00" in _field_errors(text)["amount"]


def test_the_api_lists_every_error_and_what_applies_now(uow, web, holder):
    web.login(holder.email, PASSWORD)
    api = Api(web)
    number = holder.whole_life.policy_number
    answer = api.send("POST", f"/policies/{number}/services/contact_address",
                      address(city="", postcode="x"), headers={"Idempotency-Key": "forms-1", **EN})
    assert answer.status_code == 422
    errors = answer.json["error"]["errors"]
    assert [(e["field"], e["message"]) for e in errors] == [
        ("city", "Between 2 and 40 characters, please."), ("postcode", "A postcode is 6 digits.")]
    assert answer.json["error"]["field"] == "city"
    services = {s["kind"]: s for s in api.get(f"/policies/{number}/services", headers=EN).json["services"]}
    amount = next(f for f in services["dividend_withdrawal"]["fields"] if f["name"] == "amount")
    assert amount["now"] == "Held for you now: 1,000.00 yuan. You can take up to all of it."
    province = next(f for f in services["contact_address"]["fields"] if f["name"] == "province")
    assert province["now"] == f"On file now: {holder.customer.address}" and province["on_file"] is None  # no parts yet
