"""The SMS commands end to end on a real database: who gets data, in which language, how a
policy is named, the replies' length, a replayed message, the rate limit."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from paas.security.models import Account
from saas.sms.segments import segments
from paas.policies.lookup import own_policy_numbers
from tests.factories import make_policy, make_policyholder
from tests.servicing_support import make_holder
from tests.sms_support import sms_to, text_in

MOBILE = "+8613800000000"


@pytest.fixture
def holder(uow):
    return make_holder(uow, "sms@example.com", MOBILE)


def test_an_unknown_number_gets_the_help_text_and_no_data(platform, uow, holder):
    reply = text_in(platform, "+8613911112222", "POL")
    assert "95500" in reply and holder.whole_life.policy_number not in reply
    assert segments(reply) <= 2
    assert [m.kind for m in sms_to(uow, "+8613911112222")] == ["sms_reply"]


def test_a_number_only_on_an_account_but_no_longer_on_file_gets_no_data(platform, uow, holder):
    holder.customer.mobile = "+8613711112222"  # changed at the counter: the old phone is not the customer's now
    uow.commit()
    reply = text_in(platform, MOBILE, "POL")
    assert holder.whole_life.policy_number not in reply


def test_pol_lists_the_policies_in_chinese_however_it_is_typed(platform, uow, holder):
    replies = {text_in(platform, MOBILE, typed) for typed in ("POL", "pol", " Pol ", "ＰＯＬ", "保单", "\u3000ｐｏｌ\u3000")}
    assert len(replies) == 1
    reply = replies.pop()
    assert reply.startswith("【平和人寿】")
    assert holder.whole_life.policy_number in reply and holder.term.policy_number in reply
    assert "有效" in reply and segments(reply) <= 2


def test_an_english_customer_is_answered_in_english(platform, uow, holder):
    uow.session.execute(update(Account).where(Account.id == holder.account.id).values(locale="en"))
    uow.commit()
    reply = text_in(platform, MOBILE, "保单")
    assert reply.startswith("[Pinghe Life] Your policies") and "In force" in reply
    assert segments(reply) <= 2


def test_a_policy_is_named_by_its_last_digits_when_only_one_ends_so(platform, uow, holder):
    number = holder.whole_life.policy_number
    reply = text_in(platform, MOBILE, f"VAL {number[-4:]}")
    assert number in reply and "现金价值" in reply
    assert text_in(platform, MOBILE, f"价值{number}") == reply
    assert text_in(platform, MOBILE, f"val p{number[1:]}".lower()) == reply
    assert "没有" in text_in(platform, MOBILE, "VAL 99999999")


def test_digits_that_end_several_policies_ask_for_more(platform, uow, holder):
    for _ in range(10):  # eleven or more policies: two of them end in the same digit
        make_policy(uow, holder.customer, product="TERM")
    uow.commit()
    numbers = own_policy_numbers(uow, holder.customer.id)
    last = next(d for d in "0123456789" if sum(n.endswith(d) for n in numbers) > 1)
    assert "多份保单" in text_in(platform, MOBILE, f"VAL {last}")
    unique = next(n for n in numbers if sum(m.endswith(n[-2:]) for m in numbers) == 1)
    assert unique in text_in(platform, MOBILE, f"VAL {unique[-2:]}")


def test_dividends_values_dues_and_claims_answer_with_figures(platform, uow, holder):
    number = holder.whole_life.policy_number
    assert "1,000.00" in text_in(platform, MOBILE, f"DIV {number[-3:]}")
    assert "没有应缴保费" in text_in(platform, MOBILE, "缴费")  # both are paid to 2027
    claim = text_in(platform, MOBILE, f"理赔 {number[-3:]}")
    assert number in claim and segments(claim) <= 2


def test_a_replayed_message_is_answered_once(platform, uow, holder):
    first = text_in(platform, MOBILE, "POL", inbound_id="dup-1")
    again = text_in(platform, MOBILE, "POL", inbound_id="dup-1")
    assert first and again is None
    assert len(sms_to(uow, MOBILE, kind="sms_reply")) == 1


def test_a_sender_over_the_limit_gets_no_reply(platform, uow, holder):
    answered = [text_in(platform, "+8613922223333", "HELP") for _ in range(22)]
    assert all(answered[:20]) and answered[20:] == [None, None]
    assert len(sms_to(uow, "+8613922223333", kind="sms_reply")) == 20


def test_every_reply_fits_two_segments_even_with_many_policies(platform, uow):
    customer, _account = make_policyholder(uow, mobile="+8613833334444")
    for _ in range(12):
        make_policy(uow, customer, product="WLPAR", term_years=None, premium="7000.00",
                    issue_date=date(2020, 12, 1), paid_to=date(2026, 12, 1))
    uow.commit()
    for typed in ("POL", "DUE", "HELP", "TD", "START", "xyz", "WD", "PAY", "VAL", "123456"):
        reply = text_in(platform, "+8613833334444", typed)
        assert reply and segments(reply) <= 2, (typed, reply)


def test_a_long_list_is_cut_within_two_segments_and_says_so(platform, uow):
    customer, _account = make_policyholder(uow, mobile="+8613855556666")
    for _ in range(12):
        make_policy(uow, customer, product="WLPAR", term_years=None, premium="7000.00",
                    issue_date=date(2020, 12, 1), paid_to=date(2026, 12, 1))
    uow.commit()
    reply = text_in(platform, "+8613855556666", "DUE")
    assert reply.startswith("【平和人寿】应缴保费") and reply.endswith("…") and segments(reply) == 2
