"""PAY/支付: a short, signed, expiring, single-use link; its page shows only the amount and the
masked policy, and pays through the same payment service and hosted checkout as the web."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.factories import make_policy, make_policyholder
from tests.sms_support import text_in

MOBILE = "+8613800000000"
_LINK = re.compile(r"http://127\.0\.0\.1:8000(/p/[a-z0-9]{20})")


@pytest.fixture
def due_policy(uow):
    customer, _account = make_policyholder(uow, name="缴费人", mobile=MOBILE)
    policy = make_policy(uow, customer, product="WLPAR", term_years=None, premium="7000.00",
                         issue_date=date(2020, 12, 1), paid_to=date(2026, 12, 1))
    uow.commit()
    return policy


def _link(platform, policy) -> str:
    reply = text_in(platform, MOBILE, f"支付 {policy.policy_number[-3:]}")
    found = _LINK.search(reply)
    assert found, reply
    assert "7,000.00" in reply and policy.policy_number not in reply and policy.policy_number[-4:] in reply
    return found[1]


def test_the_link_shows_only_the_amount_and_the_masked_policy_then_pays_once(platform, uow, due_policy, web):
    path = _link(platform, due_policy)
    page = web.text(path)
    assert "¥7,000.00" in page and "*" * 7 + due_policy.policy_number[-4:] in page
    assert due_policy.policy_number not in page and "缴费人" not in page
    response = web.post_form(path, {})
    assert response.status_code == 303 and "/sandbox/checkout/" in response.headers["Location"]
    again = web.get(path)
    assert "已使用" in again.get_data(as_text=True)
    assert web.post_form(path, {}).status_code == 422  # spent: nothing started twice


def test_an_altered_or_unknown_link_is_refused(platform, uow, due_policy, web):
    path = _link(platform, due_policy)
    altered = path[:-1] + ("a" if path[-1] != "a" else "b")
    assert web.get(altered).status_code == 404
    assert web.get("/p/" + "a" * 20).status_code == 404
    assert web.get("/p/short").status_code == 404


def test_an_expired_link_pays_nothing(platform, uow, due_policy, web, clock):
    path = _link(platform, due_policy)
    clock.advance(timedelta(hours=25))
    assert "已过期" in web.text(path)
    assert web.post_form(path, {}, token_from=path).status_code == 422


def test_pay_for_a_policy_with_nothing_due_says_so(platform, uow, due_policy):
    due_policy.paid_to_date = date(2027, 12, 1)
    uow.commit()
    assert "没有应缴保费" in text_in(platform, MOBILE, f"PAY {due_policy.policy_number[-3:]}")
