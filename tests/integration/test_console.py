"""The back-office console: TOTP sign-in, search, masked 360° view, audited reveal."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from paas.audit.models import AuditEntry
from tests.factories import PASSWORD, make_policy, make_policyholder, make_staff


def _world(uow):
    staff = make_staff(uow, role="clerk")
    customer, _ = make_policyholder(uow, name="刘洋", mobile="+8613655556666", email="liu.yang@example.com",
                                    address="深圳市南山区科技园南路2号")
    from paas.customers.registry import add_bank_account

    bank = add_bank_account(uow, customer, bank_name="中国银行", account_number="6217 0000 1111 2222 333", verified=True)
    policy = make_policy(uow, customer)
    uow.commit()
    return staff, customer, policy, bank


def _code(staff, clock, offset=0):
    return pyotp.TOTP(staff.totp_secret).at(clock.now() + timedelta(seconds=offset))


def _sign_in(web, staff, clock):
    response = web.staff_login(staff.account.email, PASSWORD, _code(staff, clock))
    assert response.status_code == 302, response.get_data(as_text=True)


def _audit(uow, action):
    return list(uow.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars())


def test_staff_need_password_and_totp(uow, web, clock):
    staff, *_ = _world(uow)
    assert web.staff_login(staff.account.email, PASSWORD, "000000").status_code == 401
    assert web.staff_login(staff.account.email, "wrong-password-1", _code(staff, clock)).status_code == 401
    assert web.get("/console/").status_code == 302
    _sign_in(web, staff, clock)
    assert web.get("/console/").status_code == 200


def test_a_totp_code_works_only_once(uow, web, other_web, clock):
    staff, *_ = _world(uow)
    code = _code(staff, clock)
    assert web.staff_login(staff.account.email, PASSWORD, code).status_code == 302
    assert other_web.staff_login(staff.account.email, PASSWORD, code).status_code == 401


def test_policyholders_cannot_see_the_console(uow, web):
    _world(uow)
    web.login("liu.yang@example.com", PASSWORD)
    assert web.get("/console/").status_code == 404
    assert web.get("/console/outbox").status_code == 404
    assert web.staff_login("liu.yang@example.com", PASSWORD, "123456").status_code == 401


def test_search_by_policy_mobile_id_and_customer_number(uow, web, clock, keyring):
    staff, customer, policy, _ = _world(uow)
    _sign_in(web, staff, clock)
    id_number = keyring.decrypt(customer.id_number_cipher, context="customer.id_number")
    for query in (policy.policy_number.lower(), "136 5555 6666", id_number, customer.customer_number):
        page = web.text("/console/", query_string={"q": query})
        assert customer.customer_number in page, query
        assert "+86 136****6666" in page and "13655556666" not in page
    assert len(_audit(uow, "customer.searched")) == 4


def test_bad_search_input_gets_a_message_not_an_error(uow, web, clock):
    staff, *_ = _world(uow)
    _sign_in(web, staff, clock)
    for query in ("hello", "P0000000010", "110105194912310021", "x" * 500):
        response = web.get("/console/", query_string={"q": query})
        assert response.status_code == 422, query
        assert 'class="error"' in response.get_data(as_text=True)


def test_customer_view_masks_personal_data(uow, web, clock, keyring):
    staff, customer, policy, _ = _world(uow)
    _sign_in(web, staff, clock)
    page = web.text(f"/console/customers/{customer.customer_number}")
    id_number = keyring.decrypt(customer.id_number_cipher, context="customer.id_number")
    for secret in (id_number, "13655556666", "liu.yang@example.com", "科技园南路", "6217000011112222333"):
        assert secret not in page
    assert "**** 2333" in page and policy.policy_number in page
    assert _audit(uow, "customer.viewed")


def test_reveal_needs_a_reason_and_is_audited(uow, web, clock, keyring):
    staff, customer, _, bank = _world(uow)
    _sign_in(web, staff, clock)
    path = f"/console/customers/{customer.customer_number}"
    refused = web.post_form(f"{path}/reveal", {"field": "id_number", "reason": "because"}, token_from=path)
    assert refused.status_code == 422
    assert not _audit(uow, "pii.revealed")
    shown = web.post_form(f"{path}/reveal", {"field": "id_number", "reason": "Customer called to verify identity"},
                          token_from=path)
    assert shown.status_code == 200
    id_number = keyring.decrypt(customer.id_number_cipher, context="customer.id_number")
    revealed = re.search(r'data-test="revealed">([^<]+)<', shown.get_data(as_text=True)).group(1)
    assert revealed == id_number
    # Only that one field: the bank account stays masked on the same page.
    assert "6217000011112222333" not in shown.get_data(as_text=True)
    [entry] = _audit(uow, "pii.revealed")
    assert entry.actor_id == staff.account.id and entry.subject == f"customer:{customer.customer_number}"
    assert "Customer called to verify identity" in entry.detail and "id_number" in entry.detail
    bank_page = web.post_form(f"{path}/reveal", {"field": "bank_account", "bank_account": "1",
                                                 "reason": "Refund to this account confirmed"}, token_from=path)
    assert "6217000011112222333" in bank_page.get_data(as_text=True)


def test_reveal_cannot_reach_another_customers_bank_account(uow, web, clock):
    staff, customer, _, _ = _world(uow)
    other, _ = make_policyholder(uow, name="其他人")
    from paas.customers.registry import add_bank_account

    foreign = add_bank_account(uow, other, bank_name="建设银行", account_number="6227000012345678", verified=True)
    uow.commit()
    _sign_in(web, staff, clock)
    path = f"/console/customers/{customer.customer_number}"
    # Accounts are addressed by their place in this customer's list: nothing else is reachable.
    for position in ("2", "0", "-1", "99", str(foreign.id), "x"):
        response = web.post_form(f"{path}/reveal", {"field": "bank_account", "bank_account": position,
                                                    "reason": "Trying somebody else's account"}, token_from=path)
        assert response.status_code == 404, position
        assert "6227000012345678" not in response.get_data(as_text=True)


def test_unknown_customer_and_unknown_field(uow, web, clock):
    staff, customer, _, _ = _world(uow)
    _sign_in(web, staff, clock)
    assert web.get("/console/customers/C000000000").status_code == 404
    assert web.get("/console/customers/garbage").status_code == 404
    path = f"/console/customers/{customer.customer_number}"
    response = web.post_form(f"{path}/reveal", {"field": "password_hash", "reason": "curious about hashes"}, token_from=path)
    assert response.status_code == 422


def test_outbox_is_visible_to_supervisors(uow, web, other_web, clock):
    clerk, *_ = _world(uow)
    supervisor = make_staff(uow, role="supervisor")
    from paas.messaging import outbox

    outbox.queue(uow, channel="sms", kind="test", recipient="+8613655556666", body="您好，测试短信", locale="zh")
    uow.commit()
    _sign_in(web, supervisor, clock)
    page = web.text("/console/outbox")
    assert "您好，测试短信" in page and "+86 136****6666" in page
    _sign_in(other_web, clerk, clock)  # clerks, underwriters, adjusters: see tests/integration/test_sealed_codes.py
    assert other_web.get("/console/outbox").status_code == 403


def test_customer_page_lists_every_policy_they_are_insured_on(uow, web, clock):
    """A customer insured on their own policies and on a relative's: all of them are listed
    (the page said "No policies" for a customer insured on two of their own)."""
    staff, customer, own, _ = _world(uow)
    second = make_policy(uow, customer, product="WLPAR")
    relative, _ = make_policyholder(uow, name="刘父")
    theirs = make_policy(uow, relative, insured=customer)
    not_on_them = make_policy(uow, customer, insured=relative)
    uow.commit()
    _sign_in(web, staff, clock)
    web.client.set_cookie("lang", "en")
    page = web.text(f"/console/customers/{customer.customer_number}")
    insured_part = page.split("Policies on which this customer is insured")[1].split("Recent messages")[0]
    for policy in (own, second, theirs):
        assert policy.policy_number in insured_part
    assert not_on_them.policy_number not in insured_part and "No policies." not in insured_part
