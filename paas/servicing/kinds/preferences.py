"""Choices that change no money today: notice delivery (110/189), dividend option, automatic
premium loan, premium mode (from the next anniversary), a new copy of the policy document."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from paas.notices.events import raise_event
from paas.dividends.declare import OPTION_LABELS
from paas.errors import N_, InvalidInput
from paas.money import to_fen
from paas.policies.schedule import add_months
from paas.policies.terms import MODE_LABELS, PAYMENTS_PER_YEAR, PREMIUM_STATUSES, SINGLE
from paas.products.values import policy_year_position
from paas.servicing.base import NONE, Field, PolicyContext, PreviewLine, Transaction
from paas.servicing.kinds.common import in_force_reason, status_params

NOT_PARTICIPATING = N_("Only participating policies pay dividends.")
NO_PREMIUMS_LEFT = N_("No premiums are left to pay on this policy.")
NO_LOANS = N_("This product does not lend against its value.")
ON, OFF = "on", "off"


def _yes(raw: dict[str, Any], name: str) -> bool:
    return str(raw.get(name, "")).lower() in ("1", "true", "on", "yes")


@dataclass(frozen=True)
class NoticePreference(Transaction):
    kind: str = "notice_preference"
    label: str = N_("How you receive notices")
    description: str = N_("Notices by e-mail and SMS; paper letters only if you ask for them.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"contact"}))
    fields: tuple[Field, ...] = (
        Field("email", N_("By e-mail"), kind="bool", required=False),
        Field("sms", N_("By SMS"), kind="bool", required=False),
        Field("paper", N_("On paper, by post"), kind="bool", required=False),
    )

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        chosen = {name: _yes(raw, name) for name in ("email", "sms", "paper")}
        if not any(chosen.values()):
            raise InvalidInput(N_("Choose at least one way to receive notices."), field="email")
        if chosen["email"] and not ctx.customer.email:
            raise InvalidInput(N_("Add an e-mail address first."), field="email")
        return chosen

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        c = ctx.customer
        return [PreviewLine(N_("By e-mail"), c.notice_by_email, inputs["email"], kind="bool"),
                PreviewLine(N_("By SMS"), c.notice_by_sms, inputs["sms"], kind="bool"),
                PreviewLine(N_("On paper, by post"), c.notice_on_paper, inputs["paper"], kind="bool")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        c = ctx.customer
        c.notice_by_email, c.notice_by_sms, c.notice_on_paper = inputs["email"], inputs["sms"], inputs["paper"]
        return inputs


@dataclass(frozen=True)
class DividendOptionChange(Transaction):
    kind: str = "dividend_option"
    label: str = N_("Change dividend option")
    description: str = N_("What happens to future dividends: cash, left to grow, lower premiums or more cover.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"dividends"}))
    fields: tuple[Field, ...] = (
        Field("option", N_("Dividend option"), kind="choice", choices=tuple(OPTION_LABELS.items())),
    )

    def eligibility(self, ctx: PolicyContext) -> str | None:
        if ctx.cover.spec.dividends is None:
            return NOT_PARTICIPATING
        return in_force_reason(ctx)

    reason_params = staticmethod(status_params)

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        option = str(raw.get("option", ""))
        if option not in ctx.cover.spec.dividends.options:
            raise InvalidInput(N_("Choose one of the dividend options."), field="option")
        if option == (ctx.policy.dividend_option or "accumulate"):
            raise InvalidInput(N_("That is already the policy's dividend option."), field="option")
        return {"option": option}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        before = OPTION_LABELS[ctx.policy.dividend_option or "accumulate"]
        return [PreviewLine(N_("Dividend option"), before, OPTION_LABELS[inputs["option"]], kind="label")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        ctx.policy.dividend_option = inputs["option"]
        return inputs


@dataclass(frozen=True)
class AutomaticPremiumLoanSwitch(Transaction):
    kind: str = "automatic_premium_loan"
    label: str = N_("Automatic premium loan on or off")
    description: str = N_("If a premium is not paid by the end of the grace period, lend it from the cash value "
                          "instead of letting the policy lapse.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"billing"}))
    fields: tuple[Field, ...] = (Field("apl", N_("Automatic premium loan"), kind="choice",
                                       choices=((ON, N_("On")), (OFF, N_("Off")))),)

    def eligibility(self, ctx: PolicyContext) -> str | None:
        if ctx.cover.spec.loan_share <= 0:
            return NO_LOANS
        if ctx.policy.status not in PREMIUM_STATUSES or ctx.facts.premium_mode == SINGLE:
            return NO_PREMIUMS_LEFT
        return in_force_reason(ctx)

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        value = str(raw.get("apl", ""))
        if value not in (ON, OFF):
            raise InvalidInput(N_("Choose on or off."), field="apl")
        return {"apl": value}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        before = N_("On") if ctx.policy.automatic_premium_loan else N_("Off")
        return [PreviewLine(N_("Automatic premium loan"), before, N_("On") if inputs["apl"] == ON else N_("Off"),
                            kind="label")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        ctx.policy.automatic_premium_loan = inputs["apl"] == ON
        return inputs


@dataclass(frozen=True)
class PremiumModeChange(Transaction):
    kind: str = "premium_mode"
    label: str = N_("Change how often you pay")
    description: str = N_("Pay yearly, half-yearly, quarterly or monthly, from the next policy anniversary.")
    groups: frozenset[str] = field(default_factory=lambda: frozenset({"billing"}))
    fields: tuple[Field, ...] = (Field("mode", N_("Pay"), kind="choice",
                                       choices=tuple((m, MODE_LABELS[m]) for m in PAYMENTS_PER_YEAR if m != SINGLE)),)

    def eligibility(self, ctx: PolicyContext) -> str | None:
        if ctx.policy.status not in PREMIUM_STATUSES or ctx.facts.premium_mode == SINGLE:
            return NO_PREMIUMS_LEFT
        return in_force_reason(ctx)

    def _anniversary(self, ctx: PolicyContext):
        years, _ = policy_year_position(ctx.policy.issue_date, ctx.today)
        return add_months(ctx.policy.issue_date, 12 * (years + 1))

    def check(self, uow, ctx: PolicyContext, raw: dict[str, Any]) -> dict:
        mode = str(raw.get("mode", ""))
        if mode not in ctx.cover.spec.modes or mode == SINGLE:
            raise InvalidInput(N_("This way of paying is not offered for this product."), field="mode")
        if mode == ctx.facts.premium_mode:
            raise InvalidInput(N_("You already pay this way."), field="mode")
        anniversary = self._anniversary(ctx)
        if ctx.policy.premium_end_date is not None and anniversary >= ctx.policy.premium_end_date:
            raise InvalidInput(NO_PREMIUMS_LEFT, field="mode")
        return {"mode": mode, "from": anniversary.isoformat()}

    def new_premium(self, ctx: PolicyContext, mode: str) -> Decimal:
        """The same yearly premium, spread by the new mode's factor (rounded once)."""
        spec = ctx.cover.spec
        annual = ctx.policy.modal_premium / spec.modal_factors[ctx.facts.premium_mode]
        return to_fen(annual * spec.modal_factors[mode])

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        mode = inputs["mode"]
        return [PreviewLine(N_("Pay"), MODE_LABELS[ctx.facts.premium_mode], MODE_LABELS[mode], kind="label"),
                PreviewLine(N_("Premium per payment"), ctx.policy.modal_premium, self.new_premium(ctx, mode), kind="money"),
                PreviewLine(N_("From"), None, inputs["from"], kind="date")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        # Switched by the cycle at the anniversary, when the last due of the old mode is paid.
        ctx.policy.next_premium_mode = inputs["mode"]
        return {**inputs, "premium": str(self.new_premium(ctx, inputs["mode"]))}


@dataclass(frozen=True)
class DocumentReissue(Transaction):
    kind: str = "document_reissue"
    label: str = N_("New copy of the policy document")
    description: str = N_("We issue the electronic policy document again, for example after a change.")
    groups: frozenset[str] = field(default_factory=frozenset)
    step_up: str = NONE

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return [PreviewLine(N_("Policy document"), None, N_("Issued again"), kind="label")]

    def apply(self, uow, ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        raise_event(uow, ctx.policy.id, "policy_issued", ctx.today, {"reference": reference}, reference=reference)
        return {"reissued": True}
