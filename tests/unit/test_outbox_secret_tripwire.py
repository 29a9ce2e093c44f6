"""The outbox's tripwire for a secret written out in a message's body finds it as a word of its
own, as the pattern ``(?<!\\w)value(?!\\w)`` would, without compiling a pattern per code."""
from __future__ import annotations

import re

import pytest

from paas.messaging.outbox import _written_out


@pytest.mark.parametrize("body", [
    "您的验证码是 123456，5分钟内有效", "code 123456.", "123456", "(123456)", "SR123456 is a reference",
    "x123456", "1234567 is longer", "0123456", "123456_", "码123456码", "码 123456 码", "no code here", "",
    "first 12345 then 123456", "A123456 and 123456", "%(code)s for request SR1234560AB",
])
def test_it_finds_the_code_where_the_word_pattern_does(body):
    code = "123456"
    assert _written_out(code, body) == bool(re.search(rf"(?<!\w){re.escape(code)}(?!\w)", body))
