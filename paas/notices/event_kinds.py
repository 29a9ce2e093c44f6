"""Every kind of policy event, in one registry: its name, the data it carries and whether it
needs a reference (the claim, request or payment it is about). An event of a kind missing here,
or with data its kind does not list, is refused where it is raised - a typo cannot reach the
table, and a notice built from an event finds the fields it expects.

``notice`` names the notice type (``paas.notices.types``) the event becomes, if any; an event
without one is for the record and for staff (a failed refund, a claim reported)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class EventKind:
    name: str
    fields: frozenset[str]  # always in the data
    optional: frozenset[str] = frozenset()
    referenced: bool = False  # one event per reference (a claim's decision), not just per day
    notice: str | None = None

    def check(self, reference: str, data: Mapping[str, object]) -> None:
        if self.referenced != bool(reference):
            raise ValueError(f"event {self.name} {'needs' if self.referenced else 'takes no'} reference")
        keys = set(data.keys())
        missing, unknown = self.fields - keys, keys - self.fields - self.optional
        if missing or unknown:
            raise ValueError(f"event {self.name}: missing {sorted(missing)}, unknown {sorted(unknown)}")


def _kind(name: str, fields: str, *, optional: str = "", referenced: bool = False, notice: str | None = None) -> EventKind:
    return EventKind(name, frozenset(fields.split()), frozenset(optional.split()), referenced, notice)


KINDS: dict[str, EventKind] = {kind.name: kind for kind in (
    # raised by the nightly cycle
    _kind("premium_due", "amount due_date", notice="premium_due"),
    _kind("grace_started", "amount due_date grace_ends"),
    _kind("grace_warning", "amount due_date lapses_on", notice="grace_warning"),
    _kind("lapsed", "amount due_date lapsed_on", notice="lapse"),
    _kind("dividend_declared", "amount option policy_year", notice="dividend"),
    _kind("dividend_cash", "amount policy_year"),
    _kind("survival_benefit", "amount policy_year", notice="survival_benefit"),
    _kind("loan_interest", "interest balance cash_value", notice="loan_interest"),
    _kind("loan_near_limit", "debt cash_value interest", notice="loan_interest"),
    _kind("maturity", "amount arrears loan_repaid expiry_date"),
    _kind("cover_ended", "expiry_date"),
    _kind("automatic_premium_loan", "amount dues loan_balance"),
    _kind("premium_mode_changed", "from_mode mode premium first_due"),
    _kind("annual_statement", "year period_start period_end payments premiums_paid cash_value", notice="annual_statement"),
    # raised by a service, one per reference
    _kind("premium_received", "amount due_date reference", referenced=True, notice="premium_receipt"),
    _kind("reinstated", "dues premium reference"),
    _kind("refund_failed", "reference amount refund_reason failure_reason"),
    _kind("claim_reported", "kind status", referenced=True),
    _kind("claim_decision", "status", optional="amount hold_until reason after_hold", referenced=True, notice="claim_decision"),
    _kind("claim_documents_requested", "missing note", referenced=True),
    _kind("claim_documents_due", "claim missing", referenced=True),
    _kind("payout", "amount", optional="claim bank account", referenced=True),
    _kind("collection", "amount purpose bank account", referenced=True),
    _kind("endorsement", "kind reference outcome", referenced=True, notice="endorsement"),
    _kind("policy_issued", "reference", referenced=True, notice="policy_issued",
          optional="application sum_assured premium extra_premium_pct exclusion free_look_days"),  # new business
)}


def kind(name: str) -> EventKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown policy event kind {name!r}") from None
