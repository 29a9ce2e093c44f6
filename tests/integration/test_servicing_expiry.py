"""Requests that end: a code lasts 5 minutes and a new one can be asked for (a few times, not
in a burst); a request left waiting for its code half an hour ends - on the engine's next
touch or in the nightly cycle, which tells the customer - and no longer blocks the policy."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.errors import InvalidInput, TooManyAttempts
from paas.messaging import outbox
from paas.messaging.models import OutboxMessage
from paas.policies.ledger import balance
from paas.security.sessions import principal_of
from paas.servicing import engine
from paas.servicing.expiry import expire_left_over
from paas.servicing.models import ServiceRequest
from paas.servicing.step_up import MAX_RESENDS
from tests.factories import PASSWORD
from tests.integration.test_external_accounts_api import Api
from tests.outbox_support import codes_sent
from tests.servicing_support import make_holder

WITHDRAW = {"amount": "100", "bank_account": "1"}


@pytest.fixture
def holder(uow):
    return make_holder(uow, "expiry@example.com", "+8613855556666")


def _start(uow, holder, key="form-1", **inputs):
    return engine.start(uow, principal_of(holder.account), holder.whole_life.policy_number, "dividend_withdrawal",
                        inputs or WITHDRAW, channel="web", idempotency_key=key)


def _codes(uow, reference):
    """Every code sent for the request, oldest first (unsealed as only a test may)."""
    return codes_sent(uow, reference, kind="servicing_code")


def test_a_code_lasts_five_minutes_and_a_new_one_replaces_it(uow, holder, clock):
    request = _start(uow, holder)
    who = principal_of(holder.account)
    [first] = _codes(uow, request.reference)
    assert "5分钟内有效" in uow.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "servicing_code"))
    clock.advance(timedelta(minutes=5, seconds=1))
    too_old = engine.confirm(uow, who, request.reference, first)
    assert too_old.result == "code_expired" and request.status == "awaiting_code"
    engine.resend_code(uow, who, request.reference)
    first_again, second = _codes(uow, request.reference)
    assert first_again == first and request.code_resends == 1
    if second != first:  # the old code no longer confirms (unless chance drew the same six digits)
        assert engine.confirm(uow, who, request.reference, first).result == "wrong_code"
    assert engine.confirm(uow, who, request.reference, second).confirmed
    assert request.status == "applied" and balance(uow, holder.whole_life.id, "dividends") == Decimal("900.00")


def test_new_codes_are_limited_in_number_and_rate(uow, holder, clock):
    request = _start(uow, holder)
    who = principal_of(holder.account)
    with pytest.raises(TooManyAttempts) as wait:
        engine.resend_code(uow, who, request.reference)  # the first code went out a moment ago
    assert 0 < wait.value.retry_after <= 60
    for _ in range(MAX_RESENDS):
        clock.advance(timedelta(seconds=61))
        engine.resend_code(uow, who, request.reference)
    clock.advance(timedelta(seconds=61))
    with pytest.raises(InvalidInput) as refused:
        engine.resend_code(uow, who, request.reference)
    assert "No more new codes" in refused.value.message
    assert len(_codes(uow, request.reference)) == 1 + MAX_RESENDS


def test_a_request_left_waiting_half_an_hour_no_longer_blocks_the_policy(uow, holder, clock):
    abandoned = _start(uow, holder, "form-1")
    with pytest.raises(InvalidInput) as conflict:  # still open: the next withdrawal waits for it
        _start(uow, holder, "form-2")
    assert conflict.value.params["reference"] == abandoned.reference
    clock.advance(timedelta(minutes=30))
    [code] = _codes(uow, abandoned.reference)
    later = _start(uow, holder, "form-3")  # the engine ends the stale one as it checks conflicts
    assert later.status == "awaiting_code" and abandoned.status == "expired"
    outcome = engine.confirm(uow, principal_of(holder.account), abandoned.reference, code)
    assert outcome.result == "ended" and balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")


def test_confirming_too_late_ends_the_request(uow, holder, clock):
    request = _start(uow, holder)
    [code] = _codes(uow, request.reference)
    clock.advance(timedelta(minutes=31))
    outcome = engine.confirm(uow, principal_of(holder.account), request.reference, code)
    assert outcome.result == "expired" and request.status == "expired"
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")


def test_the_nightly_cycle_ends_left_over_requests_and_tells_the_customer(uow, platform, holder, clock):
    holder.account.locale = "en"
    request = _start(uow, holder)
    fresh = engine.start(uow, principal_of(holder.account), holder.term.policy_number, "contact_email",
                         {"email": "new-expiry@example.com"}, channel="web", idempotency_key="form-fresh")
    uow.commit()
    clock.advance(timedelta(minutes=20))
    assert expire_left_over(platform) == 0  # nothing is old enough yet
    clock.advance(timedelta(minutes=10))
    fresh_again = engine.start(uow, principal_of(holder.account), holder.term.policy_number, "contact_email",
                               {"email": "newer-expiry@example.com"}, channel="web", idempotency_key="form-fresh-2")
    uow.commit()
    assert fresh.status == "expired" and fresh_again.status == "awaiting_code"
    assert expire_left_over(platform) == 1
    uow.session.expire_all()
    assert uow.session.get(ServiceRequest, request.id).status == "expired"
    told = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "servicing_expired")).all()
    assert [(m.channel, m.recipient, m.locale) for m in told] == [("sms", "+8613855556666", "en")]
    assert request.reference in told[0].body and "was not confirmed in time" in told[0].body
    assert expire_left_over(platform) == 0  # a rerun ends nothing more
    assert _start(uow, holder, "form-after").status == "awaiting_code"  # the policy is free again


def test_several_messages_in_one_change_make_one_delivery_pass(uow, monkeypatch):
    passes = []
    real = outbox.deliver_pending
    monkeypatch.setattr(outbox, "deliver_pending", lambda platform, **kwargs: passes.append(real(platform, **kwargs)))
    for n in range(3):
        outbox.queue(uow, channel="sms", kind="test", recipient="+8613800000000", body=f"message {n}", locale="zh")
    uow.commit()
    assert passes == [3]  # one pass sent all three


def test_a_new_code_from_the_web_page_and_the_api(uow, web, holder, clock):
    web.login(holder.email, PASSWORD)
    request = _start(uow, holder)
    uow.commit()
    page = f"/requests/{request.reference}"
    assert 'data-test="resend-code"' in web.get(page).get_data(as_text=True)
    too_soon = web.post_form(f"{page}/resend", {}, token_from=page)
    assert too_soon.status_code == 429
    clock.advance(timedelta(seconds=61))
    resent = web.post_form(f"{page}/resend", {}, token_from=page)
    assert resent.status_code == 303
    assert 'data-test="code-resent"' in web.get(resent.headers["Location"]).get_data(as_text=True)
    api = Api(web)
    assert api.send("POST", f"/requests/{request.reference}/resend", {}).status_code == 429
    clock.advance(timedelta(seconds=61))
    answer = api.send("POST", f"/requests/{request.reference}/resend", {})
    assert answer.status_code == 202 and answer.json["status"] == "awaiting_code"
    assert len(_codes(uow, request.reference)) == 3
    code = _codes(uow, request.reference)[-1]
    clock.advance(timedelta(minutes=5, seconds=1))
    late = api.send("POST", f"/requests/{request.reference}/confirm", {"code": code}, headers={"Accept-Language": "en"})
    assert late.status_code == 422 and late.json["error"]["code"] == "code_expired"
    assert "Ask for a new code" in late.json["error"]["message"]


def test_the_request_page_shows_a_request_past_its_time_as_ended(uow, web, holder, clock):
    request = _start(uow, holder)
    uow.commit()
    clock.advance(timedelta(minutes=30))
    web.login(holder.email, PASSWORD)
    page = web.text(f"/requests/{request.reference}")
    assert 'data-test="expired"' in page and 'data-test="confirm-code"' not in page
    assert 'data-test="cancel-request"' not in page
