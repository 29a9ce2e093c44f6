"""Issue 10 through the front ends: the two codes of a mobile change on the web and in the API,
the safety page (held payouts with their time and a cancel button, removing a bank account,
the freeze button), the same in the API, and the console's held payouts, freeze lift and
bank account removal; another customer's things are not found."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from paas.audit.models import AuditEntry
from paas.servicing.models import ServiceRequest
from tests.factories import PASSWORD
from tests.integration.test_external_accounts_api import Api
from tests.outbox_support import sms_code
from tests.servicing_support import make_holder, next_totp, staff_signed_in

NEW_ACCOUNT = {"method": "bank_debit", "new_bank_name": "招商银行", "new_account_number": "6225880123456789"}


@pytest.fixture
def holder(uow, web):
    holder = make_holder(uow, "pages-takeover@example.com", "+8613866667777")
    web.login(holder.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    return holder


def _code(uow, reference, kind="servicing_code"):
    """The code as its recipient got it (the outbox keeps it sealed)."""
    return sms_code(uow, reference, kind=kind)


def _request(uow, reference):
    uow.session.expire_all()
    return uow.session.scalars(select(ServiceRequest).where(ServiceRequest.reference == reference)).one()


def _submit(web, policy, kind, data):
    path = f"/policies/{policy.policy_number}/services/{kind}"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', web.text(path)).group(1)
    answer = web.post_form(path, {"idempotency_key": key, **data}, token_from=path)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.headers["Location"].rsplit("/", 1)[1]


def _confirm(web, uow, reference, contact=False):
    page = f"/requests/{reference}"
    data = {"code": _code(uow, reference)}
    if contact:
        data["contact_code"] = _code(uow, reference, "servicing_contact_code")
    return web.post_form(f"{page}/confirm", data, token_from=page)


def _held_payout(web, uow, holder):
    """A new account by a payment-method change, then a dividend withdrawal to it: held."""
    assert _confirm(web, uow, _submit(web, holder.whole_life, "payment_method", NEW_ACCOUNT)).status_code == 303
    reference = _submit(web, holder.whole_life, "dividend_withdrawal", {"amount": "300", "bank_account": "2"})
    assert _confirm(web, uow, reference).status_code == 303
    assert _request(uow, reference).status == "held"
    return reference


def test_the_web_asks_for_both_codes_of_a_mobile_change(uow, web, holder):
    reference = _submit(web, holder.whole_life, "contact_phone", {"mobile": "13900002222"})
    page = web.text(f"/requests/{reference}")
    assert "+86 138****7777" in page and 'data-test="contact-code"' in page and "+86 139****2222" in page
    only_old = web.post_form(f"/requests/{reference}/confirm", {"code": _code(uow, reference)},
                             token_from=f"/requests/{reference}")
    assert only_old.status_code == 422 and "The code sent to the new contact is not right" in only_old.get_data(as_text=True)
    assert re.search(r'id="contact_code"[^>]*aria-invalid="true"', only_old.get_data(as_text=True))  # marked
    assert not re.search(r'id="code"[^>]*aria-invalid', only_old.get_data(as_text=True))
    assert holder.customer.mobile == "+8613866667777"
    assert _request(uow, reference).code_attempts == 1  # counted, though the answer was an error
    assert _confirm(web, uow, reference, contact=True).status_code == 303
    uow.session.expire_all()
    assert holder.customer.mobile == "+8613900002222"


def test_the_console_asks_for_the_new_numbers_code_marks_a_wrong_one_and_counts_it(uow, web, other_web, clock, holder):
    clerk = staff_signed_in(uow, other_web, clock)
    form = f"/console/policies/{holder.whole_life.policy_number}/services/contact_phone"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', other_web.text(form)).group(1)
    answer = other_web.post_form(form, {"idempotency_key": key, "mobile": "13900003333"}, token_from=form)
    assert answer.status_code == 303
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    page = f"/console/requests/{reference}"
    assert 'id="contact_code"' in other_web.text(page) and "+86 139****3333" in other_web.text(page)
    wrong = other_web.post_form(f"{page}/confirm", {"code": next_totp(clerk, clock), "contact_code": "000000"},
                                token_from=page)
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and re.search(r'id="contact_code"[^>]*aria-invalid="true"', text)
    assert _request(uow, reference).code_attempts == 1 and holder.customer.mobile == "+8613866667777"
    right = other_web.post_form(f"{page}/confirm", {"code": next_totp(clerk, clock),
                                                    "contact_code": _code(uow, reference, "servicing_contact_code")},
                                token_from=page)
    assert right.status_code == 303 and _request(uow, reference).status == "applied"
    uow.session.expire_all()
    assert holder.customer.mobile == "+8613900003333"


def test_a_held_payout_is_shown_with_its_time_and_cancelled_on_the_web(uow, web, holder):
    reference = _held_payout(web, uow, holder)
    request_page = web.text(f"/requests/{reference}")
    assert 'data-test="held"' in request_page and "30 Nov 2026 10:00" in request_page  # 72 hours on
    safety = web.text("/security")
    assert f'data-test="held-{reference}"' in safety and 'data-test="cancel-held"' in safety
    answer = web.post_form(f"/requests/{reference}/cancel", {}, token_from="/security")
    assert answer.status_code == 303 and _request(uow, reference).status == "cancelled"
    assert f'data-test="held-{reference}"' not in web.text("/security")


def test_removing_bank_accounts_and_freezing_on_the_web(uow, web, other_web, holder):
    assert _confirm(web, uow, _submit(web, holder.whole_life, "payment_method", NEW_ACCOUNT)).status_code == 303
    assert web.client.post("/security/bank-accounts/1/remove").status_code == 400  # no CSRF token
    in_use = web.post_form("/security/bank-accounts/2/remove", {}, token_from="/security")
    assert in_use.status_code == 422 and holder.whole_life.policy_number in in_use.get_data(as_text=True)
    assert web.post_form("/security/bank-accounts/1/remove", {}, token_from="/security").status_code == 303
    uow.session.expire_all()
    assert [a.bank_name for a in holder.customer.bank_accounts] == ["招商银行"]
    other = make_holder(uow, "pages-other@example.com", "+8613866668888")
    other_web.login(other.email, PASSWORD)
    assert other_web.post_form("/security/bank-accounts/2/remove", {}, token_from="/security").status_code == 404
    assert web.get("/security/freeze").status_code == 303  # where the alerts' link lands
    assert web.post_form("/security/freeze", {}, token_from="/security").status_code == 303
    assert 'data-test="frozen"' in web.text("/security")
    services = web.text(f"/policies/{holder.whole_life.policy_number}/services")
    assert "You have frozen online money movements on your policies." in services


def test_the_api_confirms_with_both_codes_removes_accounts_freezes_and_lists_held_payouts(uow, web, holder):
    import jsonschema

    from tests.integration.test_api import _json_schema

    api = Api(web)
    started = api.send("POST", f"/policies/{holder.whole_life.policy_number}/services/contact_email",
                       {"email": "new-api@example.com"}, headers={"Idempotency-Key": "em-1"}).json
    assert started["contact_code_sent_to"] and started["code_sent_to"] == "+86 138****7777"
    reference = started["reference"]
    bad = api.send("POST", f"/requests/{reference}/confirm", {"code": _code(uow, reference), "contact_code": "000000"})
    assert bad.status_code == 422 and bad.json["error"]["field"] == "contact_code"
    assert _request(uow, reference).code_attempts == 1 and _request(uow, reference).status == "awaiting_code"
    done = api.send("POST", f"/requests/{reference}/confirm", {
        "code": _code(uow, reference), "contact_code": _code(uow, reference, "servicing_contact_code")})
    assert done.status_code == 200 and done.json["status"] == "applied"

    held = _held_payout(web, uow, holder)
    document = api.get("/openapi.json").json
    components = document["components"]["schemas"]

    def check(body, name):
        jsonschema.validate(body, _json_schema({**components[name], "components": {"schemas": components}}))

    listed = api.get("/held-payouts").json
    check(listed, "HeldPayoutList")
    assert [r["reference"] for r in listed["requests"]] == [held] and listed["requests"][0]["hold_until"]
    accounts = api.get("/bank-accounts").json
    check(accounts, "BankAccountList")
    assert [a["verified"] for a in accounts["bank_accounts"]] == [True, False]
    assert api.send("DELETE", "/bank-accounts/9").status_code == 404
    refused = api.send("DELETE", "/bank-accounts/1")  # the held withdrawal is open
    assert refused.status_code == 422 and held in refused.json["error"]["message"]
    assert api.send("DELETE", f"/requests/{held}").json["status"] == "cancelled"
    removed = api.send("DELETE", "/bank-accounts/1")
    assert removed.status_code == 200 and removed.json["removed"].endswith("2333")
    assert api.get("/money-freeze").json == {"frozen": False, "frozen_at": None}
    frozen = api.send("POST", "/money-freeze")
    check(frozen.json, "MoneyFreeze")
    assert frozen.json["frozen"] is True
    services = api.get(f"/policies/{holder.whole_life.policy_number}/services").json["services"]
    assert not next(s for s in services if s["kind"] == "policy_loan")["available"]
    for path in ("/bank-accounts", "/bank-accounts/{position}", "/held-payouts", "/money-freeze"):
        assert path in document["paths"]


def test_the_console_lists_held_payouts_cancels_one_lifts_a_freeze_and_removes_an_account(uow, web, other_web, clock,
                                                                                        holder):
    held = _held_payout(web, uow, holder)
    staff_signed_in(uow, other_web, clock)
    customer_page = f"/console/customers/{holder.customer.customer_number}"
    assert other_web.post_form(f"{customer_page}/freeze", {}, token_from=customer_page).status_code == 303  # they called
    uow.session.expire_all()
    assert holder.customer.money_frozen_at is not None
    listing = other_web.text("/console/held-payouts")
    assert f'data-test="held-{held}"' in listing
    no_note = other_web.post_form(f"/console/held-payouts/{held}/cancel", {"note": ""}, token_from="/console/held-payouts")
    assert no_note.status_code == 422
    assert other_web.post_form(f"/console/held-payouts/{held}/cancel", {"note": "Customer called, not them"},
                               token_from="/console/held-payouts").status_code == 303
    assert _request(uow, held).status == "cancelled" and 'data-test="no-held"' in other_web.text("/console/held-payouts")
    assert 'data-test="money-frozen"' in other_web.text(customer_page)
    short = other_web.post_form(f"{customer_page}/freeze/lift", {"reason": "ok"}, token_from=customer_page)
    assert short.status_code == 422
    assert other_web.post_form(f"{customer_page}/freeze/lift", {"reason": "Identified by ID card at the counter"},
                               token_from=customer_page).status_code == 303
    uow.session.expire_all()
    assert holder.customer.money_frozen_at is None
    assert other_web.post_form(f"{customer_page}/bank-accounts/9/remove", {}, token_from=customer_page).status_code == 404
    in_use = other_web.post_form(f"{customer_page}/bank-accounts/2/remove", {}, token_from=customer_page)
    assert in_use.status_code == 422
    assert other_web.post_form(f"{customer_page}/bank-accounts/1/remove", {}, token_from=customer_page).status_code == 303
    uow.session.expire_all()
    assert len(holder.customer.bank_accounts) == 1
    actions = set(uow.session.scalars(select(AuditEntry.action)))
    assert {"servicing.hold_cancelled", "security.money_unfrozen", "customer.bank_account_removed"} <= actions
    assert web.get("/console/held-payouts").status_code == 404  # the console does not exist for policyholders
