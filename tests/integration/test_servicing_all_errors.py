"""Every registered servicing kind, sent a form with every field wrong, marks each field at
once: on the web page (each field's own message beside it) and in the API's ``errors``. A kind
added later without a row here fails the first test, so none slips back to one error a try."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from paas.policies.ledger import credit
from paas.servicing.offers import policy_offers
from paas.servicing.registry import all_transactions
from tests.factories import PASSWORD
from tests.integration.servicing_money_support import holder, priced_policy, run, unit_linked
from tests.integration.test_external_accounts_api import Api

EN = {"Accept-Language": "en"}
WRONG_ACCOUNT = {"amount": "abc", "bank_account": "9"}
QUESTIONS = ("health_conditions", "health_hospital", "health_symptoms")
BAD_BENEFICIARY = {"name": "x", "relationship": "self", "rank": "3", "share": "abc", "id_number": "123"}

# kind: (the policy it is asked on, every field wrong, the fields marked)
WRONG = {
    "contact_address": ("whole_life", {"province": "", "city": "x", "district": "", "street": "", "postcode": "1"},
                        {"province", "city", "district", "street", "postcode"}),
    "contact_phone": ("whole_life", {"mobile": "123"}, {"mobile"}),
    "contact_email": ("whole_life", {"email": "not-an-address"}, {"email"}),
    "notice_preference": ("whole_life", {}, {"email"}),
    "payment_method": ("whole_life", {"method": "cheque", "new_bank_name": "", "new_account_number": "12"},
                       {"method", "new_bank_name", "new_account_number"}),
    "beneficiaries": ("whole_life", {"beneficiaries": [BAD_BENEFICIARY]}, {"beneficiaries"}),
    "dividend_option": ("whole_life", {"option": "gold"}, {"option"}),
    "premium_mode": ("whole_life", {"mode": "weekly"}, {"mode"}),
    "automatic_premium_loan": ("whole_life", {"apl": "maybe"}, {"apl"}),
    "dividend_withdrawal": ("whole_life", WRONG_ACCOUNT, {"amount", "bank_account"}),
    "survival_benefit_withdrawal": ("whole_life", WRONG_ACCOUNT, {"amount", "bank_account"}),
    "policy_loan": ("whole_life", WRONG_ACCOUNT, {"amount", "bank_account"}),
    "loan_repayment": ("loaned", {"amount": "abc", "source": "piggy_bank"}, {"amount", "source"}),
    "top_up": ("unit_linked", WRONG_ACCOUNT, {"amount", "bank_account"}),
    "partial_withdrawal": ("unit_linked", WRONG_ACCOUNT, {"amount", "bank_account"}),
    "fund_switch": ("unit_linked", {"from_fund": "NOPE", "to_fund": "NADA", "percent": "abc"},
                    {"from_fund", "to_fund", "percent"}),
    "fund_allocation": ("unit_linked", {"allocation": {"NOPE": "10", "BOND": "abc"}}, {"allocation"}),
    "sum_assured_reduction": ("whole_life", {"sum_assured": "abc", "bank_account": "9"}, {"sum_assured", "bank_account"}),
    "reinstatement": ("lapsed", {"bank_account": "9", "repay_loan": "x", **dict.fromkeys(QUESTIONS, "x")},
                      {"bank_account", "repay_loan", *QUESTIONS}),
    "free_look_cancellation": ("new", {"bank_account": "9"}, {"bank_account"}),
    "surrender": ("whole_life", {"bank_account": "9"}, {"bank_account"}),
    "name_id_correction": ("whole_life", {"name": "x", "id_number": "123", "document": ""},
                           {"name", "id_number", "document"}),
}
# Nothing to type, so nothing to be wrong: the form is one button.
NO_FIELDS = {"reduced_paid_up", "document_reissue"}


def test_every_kind_with_fields_has_a_wrong_form_here():
    kinds = {txn.kind: txn for txn in all_transactions()}
    assert set(WRONG) | NO_FIELDS == set(kinds)
    assert all(not kinds[kind].fields for kind in NO_FIELDS)
    for kind, (_policy, _raw, marked) in WRONG.items():
        assert marked <= {f.name for f in kinds[kind].fields}, kind


@pytest.fixture
def policies(uow, web):
    customer, who = holder(uow, email="every-error@example.com", mobile="+8613811112222")
    whole_life = priced_policy(uow, customer, "WLPAR", "300000")
    for account, amount in (("dividends", "1000.00"), ("survival_benefits", "500.00")):
        credit(uow, whole_life.id, account, "credit", Decimal(amount), whole_life.issue_date, reference=f"seed:{account}")
    uow.session.flush()
    loaned = priced_policy(uow, customer, "WLPAR", "300000")  # its own: a loan bars a lower sum assured
    uow.session.flush()
    run(uow, who, loaned, "policy_loan", {"amount": "1000", "bank_account": "1"})
    lapsed = priced_policy(uow, customer, "WLPAR", "200000", paid_to=date(2026, 9, 1), status="lapsed")
    lapsed.status_date = date(2026, 10, 31)
    new = priced_policy(uow, customer, "WLPAR", "100000", issue=date(2026, 11, 20))
    ulink = unit_linked(uow, customer, {"BOND": "10000", "BAL": "5000"})
    uow.commit()
    web.login("every-error@example.com", PASSWORD)
    web.client.set_cookie("lang", "en")
    return who, {"whole_life": whole_life.policy_number, "lapsed": lapsed.policy_number, "new": new.policy_number, "loaned": loaned.policy_number,
                 "unit_linked": ulink.policy_number}


def _as_form(raw: dict) -> dict[str, str]:
    """The fields as the web form sends them: the editors' rows and funds as inputs of their own."""
    form = {}
    for name, value in raw.items():
        if name == "beneficiaries":
            form.update({f"beneficiaries-{n}-{part}": text for n, row in enumerate(value) for part, text in row.items()})
        elif name == "allocation":
            form.update({f"allocation-{code}": text for code, text in value.items()})
        else:
            form[name] = value
    return form


@pytest.mark.parametrize("kind", sorted(WRONG))
def test_a_form_with_every_field_wrong_marks_every_field_on_the_page_and_in_the_api(uow, web, policies, kind):
    who, numbers = policies
    which, raw, marked = WRONG[kind]
    number = numbers[which]
    offer = policy_offers(uow, who, number).offer(kind)
    assert offer.available, (kind, offer.reason)

    path = f"/policies/{number}/services/{kind}"
    page = web.text(path)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    answer = web.post_form(path, {"idempotency_key": key, **_as_form(raw)}, token_from=path)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422, text[:400]
    shown = dict(re.findall(r'data-test="field-error" data-field="([a-z_]+)">([^<]+)<', text))
    assert set(shown) == marked, kind
    if len(marked) > 1:
        assert f"{len(marked)} fields need correcting" in text

    answer = Api(web).send("POST", f"/policies/{number}/services/{kind}", raw,
                           headers={"Idempotency-Key": f"every-{kind}", **EN})
    assert answer.status_code == 422, answer.get_data(as_text=True)[:400]
    errors = answer.json["error"]["errors"]
    assert {e["field"] for e in errors} == marked and all(e["message"] for e in errors), errors


def test_every_fault_of_a_beneficiary_row_is_said_at_the_editor(uow, web, policies):
    who, numbers = policies
    answer = Api(web).send("POST", f"/policies/{numbers['whole_life']}/services/beneficiaries",
                           {"beneficiaries": [BAD_BENEFICIARY]}, headers={"Idempotency-Key": "rows", **EN})
    messages = [e["message"] for e in answer.json["error"]["errors"]]
    assert len(messages) == 5, messages  # name, relationship, order, share, ID number
    assert any("full name" in m for m in messages) and any("18 characters" in m for m in messages)
