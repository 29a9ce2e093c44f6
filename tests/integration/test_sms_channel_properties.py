"""Property test of the whole channel on a real database: any text from a verified customer's
phone or a stranger's is answered (never an exception), in at most two segments, once."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from paas.messaging import sms_limit
from saas.sms.segments import segments
from tests.servicing_support import make_holder
from tests.sms_support import text_in

MOBILE = "+8613800000000"
_serial = itertools.count()
typed = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec=None), max_size=100),
    st.builds(lambda k, a, b: f"{k} {a} {b}", st.sampled_from(["WD", "领取", "PAY", "VAL", "DIV", "CLAIM", "ｗｄ", "td"]),
              st.text(alphabet="0123456789P.-,¥元 ", max_size=14), st.text(max_size=12)),
    st.from_regex(r"[0-9０-９ ]{6,8}", fullmatch=True),
    st.lists(st.sampled_from(["\x00", "\ud800", "\udfff", "\x1b", "\x7f", "POL", "领取", " ", "😀"]), max_size=20).map("".join),
)


@pytest.fixture
def holder(uow):
    return make_holder(uow, "prop@example.com", MOBILE)


@given(body=typed, known=st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_anything_typed_is_answered_within_two_segments(platform, uow, holder, caplog, body, known):
    sender = MOBILE if known else "+8613966665555"
    inbound_id = f"prop-{next(_serial)}"
    sms_limit.reset(uow, sender)
    uow.commit()
    reply = text_in(platform, sender, body, inbound_id=inbound_id)  # also NUL and lone surrogates
    assert reply and segments(reply) <= 2
    assert text_in(platform, sender, body, inbound_id=inbound_id) is None  # the same message again: answered once
    # Answered by a command or a service's refusal, not by the channel's last resort for a bug.
    assert not [r for r in caplog.records if r.name == "saas.sms.channel"], body
