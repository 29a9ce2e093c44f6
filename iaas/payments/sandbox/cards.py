"""Stripe's test cards: what the sandbox does with each number. Nothing else is accepted,
and no number is ever stored (only its last four digits, as a provider would show them)."""
from __future__ import annotations

import re

SUCCEEDING_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
# The charge succeeds; a refund of it is accepted, then fails asynchronously (``refund.failed``).
REFUND_FAILS_CARD = "4000000000005126"
REFUND_FAILURE_REASON = "expired_or_canceled_card"
# number -> the decline code, or None when the payment goes through
TEST_CARDS: dict[str, str | None] = {
    SUCCEEDING_CARD: None,
    "5555555555554444": None,
    DECLINED_CARD: "generic_decline",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
    REFUND_FAILS_CARD: None,
}


def normalise(number: str) -> str:
    return re.sub(r"[\s-]", "", number or "")


def is_test_card(number: str) -> bool:
    return normalise(number) in TEST_CARDS


def decline_code(number: str) -> str | None:
    return TEST_CARDS[normalise(number)]


def refund_fails(card_last4: str | None) -> bool:
    """Whether a refund of a payment made with the card ending so fails (only the last four
    digits of a card are kept; among the test cards they are unique)."""
    return card_last4 is not None and card_last4 == REFUND_FAILS_CARD[-4:]
