"""TD/STOP until START: checked when a message is sent, not when it was queued. An opted-out
number gets no notice SMS but still gets a legally required one (a lapse notice) and the
codes it asks for; the list is kept and shown in the console."""
from __future__ import annotations

import pytest

from paas.messaging import optout, outbox
from paas.messaging.outbox import deliver_pending
from tests.servicing_support import make_holder, staff_signed_in
from tests.sms_support import sms_to, text_in

MOBILE = "+8613800000000"


@pytest.fixture
def holder(uow):
    return make_holder(uow, "optout@example.com", MOBILE)


def _queue_notice(uow, kind: str, text: str) -> None:
    outbox.queue(uow, channel="sms", kind=kind, recipient=MOBILE, body=text, locale="zh")


def test_an_opted_out_number_gets_the_lapse_notice_but_not_the_premium_notice(platform, uow, holder, gateway):
    _queue_notice(uow, "notice_premium_due", "【平和人寿】保费将到期")  # queued before the STOP...
    uow.session.flush()
    assert "退订" in text_in(platform, MOBILE, "TD")
    _queue_notice(uow, "notice_lapse", "【平和人寿】保单已停效")
    uow.commit()
    deliver_pending(platform)
    delivered = [e.body for e in gateway.sent if e.recipient == MOBILE]
    assert "【平和人寿】保单已停效" in delivered and "【平和人寿】保费将到期" not in delivered
    statuses = {m.kind: m.status for m in sms_to(uow, MOBILE)}
    assert statuses["notice_premium_due"] == outbox.SUPPRESSED and statuses["notice_lapse"] == "sent"
    assert statuses["sms_reply"] == "sent"  # the reply to TD itself still goes


def test_start_receives_them_again(platform, uow, holder, gateway):
    for typed in ("退订", "订阅"):
        text_in(platform, MOBILE, typed)
    _queue_notice(uow, "notice_premium_due", "【平和人寿】保费将到期")
    uow.commit()
    deliver_pending(platform)
    assert "【平和人寿】保费将到期" in [e.body for e in gateway.sent]


def test_the_codes_a_customer_asks_for_still_reach_an_opted_out_number(platform, uow, holder, gateway):
    text_in(platform, MOBILE, "stop")
    reply = text_in(platform, MOBILE, f"WD {holder.whole_life.policy_number[-4:]} 100")
    assert "验证码" in reply
    assert [m.status for m in sms_to(uow, MOBILE, kind="servicing_code")] == ["sent"]


def test_suppressed_is_the_question_other_senders_ask(uow, clock):
    assert not optout.suppressed(uow, MOBILE, legally_required=False)
    assert optout.opt_out(uow, MOBILE) and not optout.opt_out(uow, MOBILE)
    assert optout.suppressed(uow, MOBILE, legally_required=False)
    assert not optout.suppressed(uow, MOBILE, legally_required=True)
    assert optout.opt_in(uow, MOBILE) and not optout.opt_in(uow, MOBILE)
    assert not optout.suppressed(uow, MOBILE, legally_required=False)
    assert optout.opt_out(uow, MOBILE)  # a second STOP after START opts out again
    assert optout.suppressed(uow, MOBILE, legally_required=False)


def test_any_number_may_opt_out_even_one_we_do_not_know(platform, uow):
    text_in(platform, "+8613977778888", "ＴＤ")
    assert optout.suppressed(uow, "+8613977778888", legally_required=False)


def test_the_console_lists_opted_out_numbers_masked(platform, uow, holder, web, clock):
    text_in(platform, MOBILE, "TD")
    staff_signed_in(uow, web, clock)
    page = web.get("/console/sms/opt-outs").get_data(as_text=True)
    assert "+86 138****0000" in page and MOBILE not in page
