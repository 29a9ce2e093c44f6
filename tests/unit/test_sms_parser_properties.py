"""Property tests: whatever a phone sends (any text, emoji, control characters, lone
surrogates, full-width forms), the parser, the segment counter and the message reader answer
without an exception, and folding is consistent."""
from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from iaas.sms_inbound import from_end_user_messaging
from iaas.sms_inbound.sns import SnsRejected, SnsVerifier
from saas.sms.parser import CODE, UNKNOWN, normalise, parse
from saas.sms.registry import all_commands, keyword_map
from saas.sms.segments import MAX_SEGMENTS, fit, segments

NAMES = {c.name for c in all_commands()} | {CODE, UNKNOWN}
anything = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=800)
emoji_and_controls = st.lists(st.sampled_from(["😀", "👍🏽", "\u200d", "\x00", "\x1b", "\u202e", "\ufeff", "\u3000", "Ｐ",
                                              "ｏ", "ｌ", "１", " ", "保", "单", "\r\n", "\ud800", "WD", "领取"]),
                            max_size=200).map("".join)


@given(st.one_of(anything, emoji_and_controls))
@settings(max_examples=400)
def test_the_parser_never_raises_and_names_a_known_command(text):
    parsed = parse(text, keyword_map())
    assert parsed.command in NAMES
    assert all(isinstance(a, str) and a for a in parsed.args)


@given(st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text())))
def test_what_is_not_text_is_unknown(value):
    assert parse(value, keyword_map()).command == UNKNOWN


@given(anything)
def test_folding_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@given(st.sampled_from([k for k in keyword_map() if k.isascii() and k.isalpha()]),
       st.text(alphabet="0123456789 ", max_size=20))
def test_full_width_and_lower_case_read_as_the_same_command(keyword, rest):
    typed = keyword + " " + rest
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in typed.lower())
    assert parse(full_width, keyword_map()) == parse(typed, keyword_map())


@given(st.one_of(anything, emoji_and_controls, st.text(alphabet="abc 平和", min_size=300, max_size=1000)))
def test_a_reply_is_fitted_into_two_segments(text):
    fitted = fit(text)
    assert segments(fitted) <= MAX_SEGMENTS
    if segments(text) <= MAX_SEGMENTS:
        assert fitted == text


@given(st.one_of(anything, st.builds(json.dumps, st.dictionaries(st.text(max_size=30), st.one_of(
    st.none(), st.text(max_size=50), st.integers(), st.lists(st.integers(), max_size=3)), max_size=8))))
def test_any_sns_message_body_is_read_or_ignored(text):
    sms = from_end_user_messaging(text, "sns")
    assert sms is None or (sms.sender and sms.inbound_id and isinstance(sms.body, str))


@given(st.one_of(st.none(), st.text(), st.dictionaries(st.text(max_size=20), st.one_of(st.text(max_size=40), st.none(),
                                                                                           st.integers()))))
def test_the_verifier_refuses_junk_with_its_own_error_only(envelope):
    verifier = SnsVerifier(["arn:aws:sns:ap-southeast-1:1:t"], fetch=lambda url: b"not a certificate")
    try:
        verifier.verify(envelope)
    except SnsRejected:
        return
    raise AssertionError("junk was accepted")
