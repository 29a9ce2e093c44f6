"""What every servicing transaction is made of. A transaction type is a small class with the
same parts: who may use it and why not, the fields it asks for, the check of what was typed,
the preview of its effect, the step-up it needs, where it is routed, and how it is applied."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from paas.lazy import lazy

if TYPE_CHECKING:
    from paas.customers.models import Customer
    from paas.security.models import Account
    from paas.security.alerts import AlertKind
    from paas.policies.models import Policy
    from paas.policies.valuation import PolicyFacts, PolicyValuation
    from paas.products.pricing import Cover
    from paas.unit_of_work import UnitOfWork

NONE, SMS, TOTP = "none", "sms", "totp"
CLERK, UNDERWRITER = "clerk", "underwriter"


@dataclass(frozen=True)
class PolicyContext:
    """Everything a transaction may look at, read under the policy's row lock. The policy's
    facts (and so its valuation and cover) are read on first use: an address change never
    needs its cash value."""

    policy: "Policy"
    customer: "Customer"
    today: date
    open_claim: bool = False
    # The customer's account language, read with the policy (None: not read, or none on file).
    account_locale: str | None = None
    read_facts: Callable[[], "PolicyFacts"] = field(default=None, repr=False, compare=False)
    # The asking customer's sign-in account, when read with the policy (``context_for``'s
    # with_account): held here, the session keeps it, so the tier check finds it there.
    asker_account: "Account | None" = field(default=None, repr=False, compare=False)
    locked: bool = False  # read under the policy's row lock (``context.load_context``'s lock)

    @lazy
    def facts(self) -> "PolicyFacts":
        return self.read_facts()

    def held(self, uow, account: str) -> Decimal:
        """The live balance of a ledger account (``paas.policies.ledger``). Under the lock it is
        the facts' own (their read comes after the lock, in this transaction: what another
        withdrawal committed is in it), so a check and the valuation share one read; without
        the lock it is read on its own."""
        from paas.money import to_fen
        from paas.policies.ledger import ACCOUNTS, balance

        if account not in ACCOUNTS:
            raise ValueError(f"unknown ledger account {account!r}")
        if not self.locked:
            return balance(uow, self.policy.id, account)
        facts = self.facts
        return to_fen(facts.dividends_held if account == "dividends" else facts.survival_benefits_held)

    @lazy
    def valuation(self) -> "PolicyValuation":
        from paas.policies.valuation import value_policy

        return value_policy(self.facts, self.today)

    @lazy
    def cover(self) -> "Cover":
        from paas.policies.valuation import cover_of

        return cover_of(self.facts)


@dataclass(frozen=True)
class Field:
    """One input of a transaction's form: ``kind`` is text, money, date, choice, percent,
    phone, email, code, bool or beneficiaries (a list)."""

    name: str
    label: str  # message id
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()  # (value, message id)
    required: bool = True
    help: str | None = None  # message id


@dataclass(frozen=True)
class PreviewLine:
    """One line of "what will change": values typed by ``kind`` so each front end formats
    them in its user's language (money, date, text, label = a message id, percent)."""

    label: str  # message id
    before: Any
    after: Any
    kind: str = "text"

    def as_json(self) -> dict:
        return {"label": self.label, "before": _plain(self.before), "after": _plain(self.after), "kind": self.kind}


def _plain(value: Any) -> Any:
    if isinstance(value, (Decimal, date)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


@dataclass(frozen=True)
class Transaction:
    kind: str
    label: str  # message id
    description: str  # message id
    groups: frozenset[str] = field(default_factory=frozenset)  # changes that cannot be pending together
    fields: tuple[Field, ...] = ()
    step_up: str = NONE
    # Pays money out of the policy into the bank account chosen in ``inputs["bank_account"]``
    # (if any): refused while the customer's money movements are frozen, held for a new payee.
    pays_out: bool = False
    # Changes where money goes (a bank account or payee) without moving any: refused while frozen.
    changes_payee: bool = False

    def eligibility(self, ctx: PolicyContext) -> str | None:
        """None when the policy allows this now, else the reason (a message id)."""
        return None

    def reason_params(self, ctx: PolicyContext) -> dict:
        """Placeholders for the reason message, if it has any."""
        return {}

    def check(self, uow: "UnitOfWork", ctx: PolicyContext, raw: Mapping[str, Any]) -> dict:
        """Turn what was typed into checked inputs (JSON-ready), or raise InvalidInput. Runs
        at submission and again, on the stored inputs, just before applying."""
        return {}

    def preview(self, ctx: PolicyContext, inputs: dict) -> list[PreviewLine]:
        return []

    def field_guide(self, ctx: PolicyContext) -> dict[str, tuple[str, dict]]:
        """What to know before typing, per field name: a message id and its parameters (the
        most that can be taken now, the value on file). Every front end shows it by the field."""
        return {}

    def on_file(self, ctx: PolicyContext) -> dict[str, str]:
        """The values a new form starts from, per field name: what is on file now."""
        return {}

    def required_step_up(self, ctx: PolicyContext, inputs: dict) -> str:
        return self.step_up

    def code_recipient(self, ctx: PolicyContext, inputs: dict) -> str | None:
        """Where the one-time code goes: always the mobile already on file, never a number the
        change brings in (a password alone must not be enough to change the mobile)."""
        return ctx.customer.mobile

    def new_contact(self, ctx: PolicyContext, inputs: dict) -> tuple[str, str] | None:
        """("sms" | "email", address) when the change brings in a contact that must also be
        proven by a second code sent to it; None otherwise."""
        return None

    def security_alert(self, uow: "UnitOfWork", ctx: PolicyContext, inputs: dict) -> tuple["AlertKind", dict] | None:
        """What to tell the customer's previous contacts once this is applied (paas.security.alerts);
        a payout says where the money goes."""
        if not self.pays_out:
            return None
        from paas.security import alerts
        from paas.servicing.payout import payee_text

        return alerts.MONEY_MOVED, {"what": self.label, "policy": ctx.policy.policy_number,
                                    "account": payee_text(uow, ctx, inputs.get("bank_account"))}

    def route(self, ctx: PolicyContext, inputs: dict) -> str | None:
        """None to apply at once, or the queue that must decide (clerk / underwriter)."""
        return None

    def apply(self, uow: "UnitOfWork", ctx: PolicyContext, inputs: dict, reference: str) -> dict:
        """Make the change, in the caller's transaction; returns what was done (JSON-ready).
        ``reference`` is the request's: money movements are keyed by it, so they happen once."""
        raise NotImplementedError
