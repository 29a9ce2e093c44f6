"""A visitor who registered with a mobile applies for cover: their customer record is made from
the application (ID number encrypted, the registered mobile), their account is linked, and the
issued policy is on their asset sheet. An ID number already ours is refused without details;
one visitor never sees another's draft."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.errors import InvalidInput, NotFound
from paas.policies.queries import asset_sheet
from paas.security import registration
from paas.security.models import Account
from paas.underwriting import applications
from paas.underwriting.newcomer import KNOWN, become_customer
from paas.underwriting.states import ACCEPTED
from portal.demo.people import resident_id
from tests.factories import make_customer
from tests.outbox_support import _code_of
from tests.underwriting_support import form, pay_first_premium

PASSWORD = "river-lantern-58"
BORN = date(1990, 5, 17)


def _code(uow, recipient: str) -> str:
    from paas.messaging.models import OutboxMessage

    uow.session.expire_all()
    message = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                  .order_by(OutboxMessage.id.desc())).first()
    return _code_of(uow, message)


def _visitor(uow, mobile: str):
    sent = registration.start(uow, mobile, address="203.0.113.9", locale="zh")
    uow.commit()
    signed = registration.finish(uow, sent.handle, _code(uow, mobile), PASSWORD, address="203.0.113.9",
                                 user_agent=None, locale="zh")
    uow.commit()
    return signed.principal


def _about(number: str, **changes: str) -> dict[str, str]:
    return {"owner_name": "陈晓", "owner_gender": "F", "owner_birth_date": BORN.isoformat(),
            "owner_id_number": number, **changes}


def test_a_registered_visitor_applies_pays_and_sees_the_policy_on_their_asset_sheet(uow, platform, payments):
    visitor = _visitor(uow, "+8613611113333")
    assert not visitor.is_policyholder
    number = resident_id("440106", BORN, 321)
    who = become_customer(uow, visitor, _about(number))
    application = applications.start(uow, who, "TERM")
    applications.save(uow, who, application.reference, {"sum_assured": "500000"})  # a draft first
    uow.commit()
    assert applications.submit(uow, who, application.reference, form()).status == ACCEPTED
    uow.commit()
    pay_first_premium(uow, platform, payments, who, application.reference)
    account = uow.session.get(Account, visitor.account_id)
    customer = uow.session.get(Customer, account.customer_id)
    assert (customer.name, customer.mobile, customer.birth_date) == ("陈晓", "+8613611113333", BORN)
    assert account.display_name == "陈晓"  # greeted by name, as an account opened with a policy is
    assert number not in customer.id_number_cipher  # encrypted at rest
    assert uow.keyring.decrypt(customer.id_number_cipher, context=ID_NUMBER_CONTEXT) == number
    sheet = asset_sheet(uow, customer.id)
    assert [p.product_code for p in sheet.policies] == ["TERM"] and sheet.policies[0].insured_name == "陈晓"
    assert become_customer(uow, visitor, _about(resident_id("440106", BORN, 322))).customer_id == customer.id
    assert uow.session.scalar(select(func.count()).select_from(Customer).where(Customer.name == "陈晓")) == 1


def test_the_id_number_of_an_existing_customer_is_refused_without_details(uow):
    known = make_customer(uow, name="王芳", born=BORN)
    uow.commit()
    number = uow.keyring.decrypt(known.id_number_cipher, context=ID_NUMBER_CONTEXT)
    visitor = _visitor(uow, "+8613611114444")
    before = uow.session.scalar(select(func.count()).select_from(Customer))
    with pytest.raises(InvalidInput) as refused:
        become_customer(uow, visitor, _about(number))
    uow.rollback()
    assert refused.value.message == KNOWN and refused.value.field == "owner_id_number"
    assert "王芳" not in str(refused.value.params) and known.customer_number not in str(refused.value.params)
    assert uow.session.scalar(select(func.count()).select_from(Customer)) == before
    assert uow.session.get(Account, visitor.account_id).customer_id is None


def test_faults_in_the_owners_particulars_are_each_named(uow):
    visitor = _visitor(uow, "+8613611115555")
    with pytest.raises(InvalidInput) as refused:
        become_customer(uow, visitor, _about(resident_id("440106", date(1991, 1, 1), 5), owner_name="",
                                             owner_gender="X"))
    assert {e.field for e in refused.value.errors} == {"owner_name", "owner_gender", "owner_id_number"}


def test_visitor_a_cannot_see_visitor_bs_draft(uow):
    a = become_customer(uow, _visitor(uow, "+8613611116666"), _about(resident_id("440106", BORN, 401)))
    b = become_customer(uow, _visitor(uow, "+8613611117777"), _about(resident_id("440106", BORN, 402)))
    draft = applications.start(uow, b, "TERM")
    uow.commit()
    with pytest.raises(NotFound):
        applications.draft(uow, a, draft.reference)
    assert applications.my_applications(uow, a) == []


def _register_on_the_web(uow, web, mobile_digits: str) -> None:
    page = web.post_form("/register", {"mobile": mobile_digits}).get_data(as_text=True)
    assert 'href="/apply"' in web.text("/register")
    handle = re.search(r'name="handle" value="([^"]*)"', page).group(1)
    done = web.post_form("/register/finish", {"handle": handle, "code": _code(uow, "+86" + mobile_digits),
                                              "password": PASSWORD}, token_from="/register")
    assert done.status_code == 303


def test_over_http_a_registered_visitor_applies_through_the_real_forms(uow, web, other_web):
    _register_on_the_web(uow, web, "13611118888")
    assert 'data-test="apply"' in web.text("/products")
    page = web.text("/apply")
    assert 'data-test="about-you"' in page and 'name="owner_id_number"' in page
    refused = web.post_form("/apply", {"product": "TERM", **_about("1234")}, token_from="/apply")
    assert refused.status_code == 422 and 'data-test="error-owner_id_number"' in refused.get_data(as_text=True)
    started = web.post_form("/apply", {"product": "TERM", **_about(resident_id("440106", BORN, 777))},
                            token_from="/apply")
    assert started.status_code == 303
    reference = started.headers["Location"].rsplit("/", 1)[-1]
    saved = web.post_form(f"/applications/{reference}", {"action": "save", "sum_assured": "500000", "term": "20",
                                                         "premium_term": "term", "mode": "annual"})
    assert saved.status_code == 200 and 'data-test="quote-premium"' in saved.get_data(as_text=True)
    submitted = web.post_form(f"/applications/{reference}", {**form(), "action": "submit"})
    assert submitted.status_code == 303
    assert 'data-test="pay-first-premium"' in web.text(f"/applications/{reference}")
    assert 'data-test="about-you"' not in web.text("/apply")  # a customer now: asked once only
    _register_on_the_web(uow, other_web, "13611119999")
    assert other_web.get(f"/applications/{reference}").status_code == 404
    someone = make_customer(uow, born=BORN)
    uow.commit()
    theirs = uow.keyring.decrypt(someone.id_number_cipher, context=ID_NUMBER_CONTEXT)
    known = other_web.post_form("/apply", {"product": "TERM", **_about(theirs, owner_name=someone.name)},
                                token_from="/apply")
    text = known.get_data(as_text=True)
    assert known.status_code == 422 and "网络服务" in text and someone.customer_number not in text
