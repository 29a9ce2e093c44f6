"""Words a person reads: dates written for their language inside sentences, SMS codes and
checkout line items in the customer's own language, each enum in words, buttons and hints
that say what happens, a lapsed policy past its window told so."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from paas.billing.payments import start_payment
from paas.messaging.models import OutboxMessage
from paas.security.models import Account
from paas.security.sessions import principal_of
from paas.servicing import engine
from tests.factories import PASSWORD, make_policy
from tests.language_checks import foreign_words
from tests.payments_support import URLS
from tests.servicing_support import make_holder, staff_signed_in


@pytest.fixture
def holder(uow):
    return make_holder(uow, "words@example.com", "+8613812345678")


def _set_locale(uow, holder, locale):
    holder.account.locale = locale
    uow.commit()


def _sms(uow):
    uow.session.expire_all()
    return uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "servicing_code")
                               .order_by(OutboxMessage.id.desc())).first()


@pytest.mark.parametrize(("lang", "written", "iso"), [("zh", "2020年3月16日", "2020-03-16"), ("en", "16 Mar 2020", "2020-03-16")])
def test_a_date_inside_a_sentence_is_written_for_the_reader(uow, web, holder, lang, written, iso):
    """The free-look cancellation's reason said 犹豫期已于2016-03-16结束."""
    web.client.set_cookie("lang", lang)
    web.login(holder.email, PASSWORD)
    page = web.text(f"/policies/{holder.whole_life.policy_number}/services")
    card = re.search(r'data-test="service-free_look_cancellation">(.*?)</li>', page, re.S).group(1)
    assert written in card and iso not in card


def test_the_sms_code_is_in_the_customers_account_language_whoever_asks(uow, web, clock, holder):
    _set_locale(uow, holder, "en")
    who = principal_of(holder.account)
    engine.start(uow, who, holder.whole_life.policy_number, "dividend_withdrawal", {"amount": "10", "bank_account": "1"},
                 channel="web", idempotency_key="words-en")
    uow.commit()
    sms = _sms(uow)
    assert sms.locale == "en" and foreign_words(sms.body, "en") == []
    # A clerk whose console is in Chinese acts for the English customer: the SMS stays English.
    staff = staff_signed_in(uow, web, clock, role="clerk")
    staff_who = principal_of(staff.account)
    assert staff_who.locale == "zh"
    engine.start(uow, staff_who, holder.term.policy_number, "contact_email", {"email": "new.words@example.com"},
                 channel="console", idempotency_key="words-clerk")
    uow.commit()
    sms = _sms(uow)
    assert sms.locale == "en" and foreign_words(sms.body, "en") == [], sms.body


def test_the_language_chosen_before_signing_in_becomes_the_accounts(uow, web, holder):
    web.client.set_cookie("lang", "en")
    web.login(holder.email, PASSWORD)
    uow.session.expire_all()
    assert uow.session.scalar(select(Account.locale).where(Account.id == holder.account.id)) == "en"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checkout_line_items_are_in_the_customers_language_only(uow, payments, holder, lang):
    monthly = make_policy(uow, holder.customer, mode="monthly", premium="300.00", issue_date=date(2022, 10, 20),
                          paid_to=date(2026, 11, 20))
    _set_locale(uow, holder, lang)
    started = start_payment(uow, principal_of(holder.account), [(monthly.policy_number, date(2026, 11, 20))], URLS)
    uow.commit()
    session = payments.session(started.checkout_url.rsplit("/", 1)[-1])
    names = [description for description, _ in session.lines]
    assert names and all(monthly.policy_number in n and foreign_words(n, lang) == [] for n in names), names
    assert any(("2026年11月20日" if lang == "zh" else "20 Nov 2026") in n for n in names)


def test_an_address_change_button_says_it_confirms_and_sms_cards_say_a_code_is_needed(uow, web, holder):
    web.login(holder.email, PASSWORD)  # Chinese, the default
    form = web.text(f"/policies/{holder.whole_life.policy_number}/services/contact_address")
    button = re.search(r'data-test="submit-service">([^<]+)<', form).group(1)
    assert button == "确认变更"
    withdrawal = web.text(f"/policies/{holder.whole_life.policy_number}/services/dividend_withdrawal")
    assert re.search(r'data-test="submit-service">([^<]+)<', withdrawal).group(1) == "下一步"
    correction = web.text(f"/policies/{holder.whole_life.policy_number}/services/name_id_correction")
    assert re.search(r'data-test="submit-service">([^<]+)<', correction).group(1) == "提交审核"
    services = web.text(f"/policies/{holder.whole_life.policy_number}/services")
    assert "需短信验证码确认" in services and "已通过短信验证码确认" not in services


def test_a_lapsed_policy_past_its_reinstatement_window_says_it_can_no_longer_be_reinstated(uow, web, holder):
    lapsed = make_policy(uow, holder.customer, product="ENDOW", status="lapsed", issue_date=date(2015, 9, 1),
                         paid_to=date(2018, 9, 1), term_years=20, premium_years=10)
    lapsed.status_date = date(2018, 10, 31)  # more than two years before today
    recent = make_policy(uow, holder.customer, product="ENDOW", status="lapsed", issue_date=date(2020, 9, 1),
                         paid_to=date(2026, 9, 1), term_years=20, premium_years=10)
    recent.status_date = date(2026, 10, 31)
    uow.commit()
    web.login(holder.email, PASSWORD)
    old = web.text(f"/policies/{lapsed.policy_number}/services")
    assert "请先办理复效" not in old and "不能再办理复效" in old
    assert "请先办理复效" in web.text(f"/policies/{recent.policy_number}/services")


def test_the_statistics_end_date_is_not_labelled_recipient(uow, web, clock):
    staff_signed_in(uow, web, clock, role="supervisor")
    page = web.text("/console/statistics")
    assert '<label for="to">结束日期</label>' in page and "收件人" not in page


def test_console_messages_are_labelled_in_words(uow, web, other_web, clock, holder):
    who = principal_of(holder.account)
    engine.start(uow, who, holder.whole_life.policy_number, "dividend_withdrawal", {"amount": "10", "bank_account": "1"},
                 channel="web", idempotency_key="words-labels")
    uow.commit()
    staff_signed_in(uow, web, clock, role="supervisor")  # the outbox page is theirs alone
    page = web.text(f"/console/customers/{holder.customer.customer_number}")
    messages = page.split("最近消息")[1] if "最近消息" in page else page
    assert "servicing_code" not in messages and "sms" not in messages.lower().replace("短信", "")
    assert "短信" in messages and "保全业务验证码" in messages
    staff_signed_in(uow, other_web, clock, role="supervisor")  # the outbox is theirs
    outbox = other_web.text("/console/outbox")
    assert ">sms<" not in outbox and ">sent<" not in outbox and ">短信<" in outbox
