"""Every fixed SMS reply, in Chinese and in English, with long but real values in it, fits two
segments before any cutting: cutting is for lists (many policies), never for what a reply says."""
from __future__ import annotations

import pytest

from paas.i18n import translate
from paas.servicing.confirmation import MESSAGES
from saas.sms.commands import help as help_replies, pay, queries, subscription, withdraw
from saas.sms.segments import segments

VALUES = {"number": "P0000001234", "policy": "*******1234", "amount": "1,234,567.89", "reference": "SR0123456789",
          "url": "https://portal.pinghe-life.example/p/abcdefghijkmnpqrstuv", "cash": "1,234,567.89",
          "debt": "1,234,567.89", "net": "1,234,567.89", "dividends": "123,456.78", "benefits": "123,456.78",
          "value": "1,234,567.89", "status": "Being reviewed", "until": "2026-12-04 10:00", "left": 4,
          "digits": "12345678"}
LISTS = {queries.POLICIES, queries.DUES, withdraw.NOT_CONFIRMED}  # a list or another message inside: cut by fit()
REPLIES = sorted({value for module in (help_replies, pay, queries, subscription, withdraw) for value in vars(module).values()
                  if isinstance(value, str) and value.startswith("[Pinghe Life]") and value not in LISTS})


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("message", REPLIES)
def test_a_fixed_reply_fits_two_segments(locale, message):
    params = {key: VALUES[key] for key in VALUES if f"%({key})" in message}
    text = translate(locale, message, **params)
    assert segments(text) <= 2, (len(text), text)


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("message", sorted(MESSAGES.values()))
def test_what_the_engine_says_of_a_code_fits_in_a_reply(locale, message):
    text = translate(locale, withdraw.NOT_CONFIRMED, outcome=translate(locale, message, left=4, reference="SR0123456789"))
    assert segments(text) <= 2, text
