"""The sandbox's bank-card four-element check (四要素): test cards with a known answer, as a
provider's test mode has them. A passing card belongs to whoever asks with a complete set of
details; nothing else is accepted, and no number is kept."""
from __future__ import annotations

from iaas.payments.port import AccountCheck, AccountCheckResult

VERIFYING_CARD = "6222020200112233445"  # 工商银行 test debit card: the four elements match
MISMATCHED_CARD = "6222020200112233452"  # the bank holds it for someone else (or another mobile)
BLOCKED_CARD = "6228480000000000069"  # the card is frozen at the bank
# number -> (bank, reason it fails or None)
TEST_BANK_CARDS: dict[str, tuple[str, str | None]] = {
    VERIFYING_CARD: ("中国工商银行", None),
    "6228480402564890018": ("中国农业银行", None),
    MISMATCHED_CARD: ("中国工商银行", "mismatch"),
    BLOCKED_CARD: ("中国农业银行", "card_blocked"),
}


def check_account(check: AccountCheck) -> AccountCheckResult:
    known = TEST_BANK_CARDS.get(check.card_number)
    if known is None:
        return AccountCheckResult(False, "unknown_card")
    bank, failure = known
    if failure is None and not (check.holder_name and check.id_number and check.mobile):
        failure = "mismatch"  # four elements or none
    return AccountCheckResult(failure is None, failure, bank)
