"""WD by SMS, confirmed by the code: the servicing engine owns the code and its wrong
attempts; the SMS channel only finds which request a code is for. Wrong, expired, reused and
other-number codes, and a code tied to the message it answers."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.policies.ledger import balance
from paas.servicing import engine
from paas.servicing.models import ServiceRequest
from tests.factories import make_policyholder, principal_of
from tests.outbox_support import codes_sent, sms_code
from tests.servicing_support import make_holder, wrong
from tests.sms_support import sms_to, text_in

MOBILE = "+8613800000000"


@pytest.fixture
def holder(uow):
    return make_holder(uow, "wd@example.com", MOBILE)


def _requests(uow, holder) -> list[ServiceRequest]:
    uow.session.expire_all()
    return list(uow.session.scalars(select(ServiceRequest).where(ServiceRequest.customer_id == holder.customer.id)
                                    .order_by(ServiceRequest.id)))


def _start(platform, uow, holder, amount: str = "300") -> ServiceRequest:
    reply = text_in(platform, MOBILE, f"领取 {holder.whole_life.policy_number[-4:]} {amount}")
    request = _requests(uow, holder)[-1]
    assert request.reference in reply and "300.00" in reply and request.status == "awaiting_code"
    assert request.channel == "sms" and request.code_sent_to == MOBILE
    return request


def test_wd_then_the_right_code_withdraws_the_money(platform, uow, holder):
    request = _start(platform, uow, holder)
    reply = text_in(platform, MOBILE, sms_code(uow, request.reference))
    assert request.reference in reply and "办理完成" in reply
    assert _requests(uow, holder)[-1].status == "applied"
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("700.00")


def test_a_full_width_code_with_spaces_confirms_too(platform, uow, holder):
    request = _start(platform, uow, holder)
    code = sms_code(uow, request.reference)
    typed = " ".join(chr(ord(c) + 0xFEE0) for c in code)  # １ ２ ３ ... as a Chinese keyboard types it
    assert "办理完成" in text_in(platform, MOBILE, typed)


def test_wrong_codes_are_counted_by_the_engine_and_end_the_request(platform, uow, holder):
    request = _start(platform, uow, holder)
    code = sms_code(uow, request.reference)
    replies = [text_in(platform, MOBILE, wrong(code)) for _ in range(5)]
    assert "还可以再试 4 次" in replies[0] and "还可以再试 1 次" in replies[3]
    assert "错误次数过多" in replies[4]
    assert _requests(uow, holder)[-1].status == "expired"
    assert "没有等待" in text_in(platform, MOBILE, code)  # the right code comes too late: nothing waits
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")


def test_an_expired_code_does_not_confirm(platform, uow, holder, clock):
    request = _start(platform, uow, holder)
    code = sms_code(uow, request.reference)
    clock.advance(timedelta(minutes=6))
    reply = text_in(platform, MOBILE, code)
    assert "过期" in reply and "新的验证码" in reply  # a phone has no button for a new code: it is sent
    assert _requests(uow, holder)[-1].status == "awaiting_code"
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")
    sent = codes_sent(uow, request.reference)
    assert len(sent) == 2 and sent[0] == code
    assert "办理完成" in text_in(platform, MOBILE, sent[1])


def test_a_request_left_too_long_ends_and_frees_the_policy(platform, uow, holder, clock):
    request = _start(platform, uow, holder)
    code = sms_code(uow, request.reference)
    clock.advance(timedelta(minutes=31))
    assert "未在规定时间内确认" in text_in(platform, MOBILE, code)
    assert _requests(uow, holder)[-1].status == "expired"
    assert _start(platform, uow, holder).reference != request.reference


def test_a_used_code_confirms_nothing_twice(platform, uow, holder):
    request = _start(platform, uow, holder)
    code = sms_code(uow, request.reference)
    text_in(platform, MOBILE, code)
    assert "没有等待" in text_in(platform, MOBILE, code)
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("700.00")


def test_a_code_from_another_number_confirms_nothing(platform, uow, holder):
    other, _account = make_policyholder(uow, mobile="+8613811112222")
    uow.commit()
    request = _start(platform, uow, holder)
    code = sms_code(uow, request.reference)
    assert "没有等待" in text_in(platform, "+8613811112222", code)  # another customer's phone
    assert "95500" in text_in(platform, "+8613999990000", code)  # a phone we do not know
    assert _requests(uow, holder)[-1].status == "awaiting_code" and _requests(uow, holder)[-1].code_attempts == 0
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("1000.00")


def test_a_replayed_wd_starts_one_request(platform, uow, holder):
    typed = f"WD {holder.whole_life.policy_number[-4:]} 300"
    assert text_in(platform, MOBILE, typed, inbound_id="wd-1")
    assert text_in(platform, MOBILE, typed, inbound_id="wd-1") is None
    assert len(_requests(uow, holder)) == 1


def test_a_code_answers_the_request_of_the_message_it_replies_to(platform, uow, holder):
    first = _start(platform, uow, holder)
    # The first request is cancelled on the web (two open on one policy would conflict); a
    # second one is made by SMS: its code is the newer one.
    engine.cancel(uow, principal_of(holder.account), first.reference)
    uow.commit()
    second = _start(platform, uow, holder)
    code_message = next(m for m in sms_to(uow, MOBILE, kind="servicing_code") if second.reference in m.body)
    # A reply to the first request's code message cannot confirm the second, even with its code.
    first_message = next(m for m in sms_to(uow, MOBILE, kind="servicing_code") if first.reference in m.body)
    reply = text_in(platform, MOBILE, sms_code(uow, second.reference), previous=first_message.provider_id)
    assert "没有等待" in reply and _requests(uow, holder)[-1].status == "awaiting_code"
    reply = text_in(platform, MOBILE, sms_code(uow, second.reference), previous=code_message.provider_id)
    assert "办理完成" in reply


def test_an_amount_over_what_is_held_is_refused_in_words(platform, uow, holder):
    reply = text_in(platform, MOBILE, f"WD {holder.whole_life.policy_number[-4:]} 5000")
    assert reply.startswith("【平和人寿】") and not _requests(uow, holder)


def test_wd_without_an_amount_asks_for_one(platform, uow, holder):
    assert "金额" in text_in(platform, MOBILE, f"WD {holder.whole_life.policy_number[-4:]}")
