"""Every type of notice the insurer sends, in one registry: the 11 letters that replace paper
(each with a PDF) and the short account notices (SMS / e-mail only, no letter).

A type says which data its notice carries (each field by name and kind, so the data is checked
before it is signed and every front end formats it in the reader's language), whether the law
wants it sent by every channel (lapse, claim decision), and the message id of its SMS summary.
Field kinds: ``money`` (Decimal yuan), ``date`` (ISO), ``number`` (integer or decimal),
``text`` (free text, short, shown as is: the caller writes it in the notice's language, e.g. the
product's name), ``choice`` (one of ``choices``, shown by its message
id) and ``label`` (a message id from elsewhere, e.g. a servicing kind's label, translated when shown).

A new type is one entry in ``ALL``; renderers, the registry and the tests pick it up."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from paas.errors import N_, InvalidInput
from paas.policies.terms import MODE_LABELS

MONEY, DATE, NUMBER, TEXT, CHOICE, LABEL = "money", "date", "number", "text", "choice", "label"
FIELD_KINDS = (MONEY, DATE, NUMBER, TEXT, CHOICE, LABEL)

UNKNOWN_NOTICE_TYPE = N_("There is no notice type %(type)s.")


@dataclass(frozen=True)
class DataField:
    name: str
    kind: str
    label: str  # message id
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (value, message id), for CHOICE

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r}")
        if (self.kind == CHOICE) != bool(self.choices):
            raise ValueError(f"field {self.name!r}: choices go with the choice kind only")


@dataclass(frozen=True)
class NoticeType:
    code: str
    title: str  # message id: the letter's heading and the inbox's label
    fields: tuple[DataField, ...]
    # Message id filled with the formatted fields (and %(policy)s); one or two SMS segments.
    sms_summary: str
    legally_required: bool = False  # sent by every channel the customer has, whatever the preference
    has_letter: bool = True  # False: an account notice, SMS / e-mail only, no PDF
    about_policy: bool = True  # False: about the account (no policy number on it)
    # An account-security notice: it goes by every electronic channel to the contacts the security
    # rule names (for a change of contact, those on file before it), whatever the customer's
    # choice or the SMS opt-out - the customer's safety outranks the preference.
    security: bool = False

    def field(self, name: str) -> DataField:
        for data_field in self.fields:
            if data_field.name == name:
                return data_field
        raise KeyError(name)


def _money(name: str, label: str, required: bool = True) -> DataField:
    return DataField(name, MONEY, label, required)


def _date(name: str, label: str, required: bool = True) -> DataField:
    return DataField(name, DATE, label, required)


def _text(name: str, label: str, required: bool = True) -> DataField:
    return DataField(name, TEXT, label, required)


def _number(name: str, label: str, required: bool = True) -> DataField:
    return DataField(name, NUMBER, label, required)


DIVIDEND_OPTIONS = (
    ("cash", N_("Paid in cash")),
    ("accumulate", N_("Left to accumulate at interest")),
    ("offset_premium", N_("Used to pay premium")),
    ("paid_up_additions", N_("Used to buy paid-up additions")),
)
CONTACT_CHANGES = (
    ("address", N_("Address")),
    ("mobile", N_("Mobile number")),
    ("email", N_("E-mail address")),
)
CLAIM_DECISIONS = (
    ("approved", N_("Approved")),
    ("partly_approved", N_("Partly approved")),
    ("declined", N_("Declined")),
)
FREEZE_STATES = (
    ("on", N_("Frozen")),
    ("lifted", N_("Lifted")),
)
AUTHENTICATOR_STATES = (
    ("on", N_("Turned on")),
    ("off", N_("Turned off")),
)
LOAN_REASONS = (
    ("interest_due", N_("Loan interest due")),
    ("near_cash_value", N_("Loan nearing the cash value")),
)

LETTERS = (
    NoticeType("policy_issued", N_("Electronic policy"), (
        _text("product", N_("Product")),
        _money("sum_assured", N_("Sum assured")),
        _money("premium", N_("Premium")),
        DataField("premium_mode", CHOICE, N_("Premium mode"), choices=tuple(MODE_LABELS.items())),
        _date("effective_date", N_("Effective date")),
        _date("free_look_end", N_("Free-look period ends")),
    ), N_("Policy %(policy)s is in force from %(effective_date)s, premium %(premium)s. "
          "You may cancel it for a full refund until %(free_look_end)s.")),
    NoticeType("premium_due", N_("Premium due notice"), (
        _money("amount", N_("Amount due")),
        _date("due_date", N_("Due date")),
        _date("grace_end", N_("Grace period ends")),
        _text("account", N_("Collected from"), required=False),
    ), N_("Policy %(policy)s: premium %(amount)s is due on %(due_date)s.")),
    NoticeType("premium_receipt", N_("Premium receipt"), (
        _money("amount", N_("Amount received")),
        _date("paid_on", N_("Received on")),
        _date("due_date", N_("For the premium due on")),
        _text("receipt_number", N_("Receipt number")),
    ), N_("Policy %(policy)s: we received your premium of %(amount)s on %(paid_on)s. Thank you.")),
    NoticeType("grace_warning", N_("Grace period warning"), (
        _money("amount", N_("Amount due")),
        _date("due_date", N_("Due date")),
        _date("grace_end", N_("Grace period ends")),
    ), N_("Policy %(policy)s: premium %(amount)s is overdue. Pay by %(grace_end)s "
          "or the policy will lapse.")),
    NoticeType("lapse", N_("Lapse notice"), (
        _date("lapsed_on", N_("Lapsed on")),
        _money("unpaid_amount", N_("Premium unpaid")),
        _date("reinstate_by", N_("Reinstatement possible until")),
    ), N_("Policy %(policy)s lapsed on %(lapsed_on)s for an unpaid premium of %(unpaid_amount)s. "
          "You may reinstate it until %(reinstate_by)s."), legally_required=True),
    NoticeType("survival_benefit", N_("Survival benefit notice"), (
        _money("amount", N_("Survival benefit")),
        _date("due_date", N_("Payable on")),
        _money("accumulated", N_("Accumulated with us"), required=False),
    ), N_("Policy %(policy)s: a survival benefit of %(amount)s is payable on %(due_date)s.")),
    NoticeType("dividend", N_("Dividend notice"), (
        _number("policy_year", N_("Policy year")),
        _money("amount", N_("Dividend declared")),
        _date("declared_on", N_("Declared on")),
        DataField("option", CHOICE, N_("Dividend option"), choices=DIVIDEND_OPTIONS),
        _money("accumulated", N_("Accumulated dividends"), required=False),
    ), N_("Policy %(policy)s: a dividend of %(amount)s was declared on %(declared_on)s.")),
    NoticeType("annual_statement", N_("Annual premium statement"), (
        _number("year", N_("Year")),
        _date("period_start", N_("Period starts")),
        _date("period_end", N_("Period ends")),
        _number("payments", N_("Payments")),
        _money("premiums_paid", N_("Premiums paid")),
        _money("cash_value", N_("Cash value at the end of the period")),
    ), N_("Policy %(policy)s: your premium statement for %(year)s is ready; "
          "premiums paid %(premiums_paid)s.")),
    NoticeType("endorsement", N_("Endorsement"), (
        _text("reference", N_("Request")),
        DataField("change", LABEL, N_("Change made")),
        _date("effective_date", N_("Effective date")),
        _money("amount", N_("Amount"), required=False),
    ), N_("Policy %(policy)s: change %(reference)s took effect on %(effective_date)s.")),
    NoticeType("claim_decision", N_("Claim decision"), (
        _text("reference", N_("Claim")),
        DataField("decision", CHOICE, N_("Decision"), choices=CLAIM_DECISIONS),
        _date("decided_on", N_("Decided on")),
        _money("amount", N_("Amount payable"), required=False),
        _text("reason", N_("Reason"), required=False),
    ), N_("Policy %(policy)s: claim %(reference)s was decided on %(decided_on)s: %(decision)s."),
        legally_required=True),
    NoticeType("loan_interest", N_("Policy loan notice"), (
        DataField("reason", CHOICE, N_("About"), choices=LOAN_REASONS),
        _money("loan_balance", N_("Loan outstanding")),
        _money("interest", N_("Interest due")),
        _money("cash_value", N_("Cash value")),
        _date("due_date", N_("Due date")),
    ), N_("Policy %(policy)s: loan %(loan_balance)s, interest %(interest)s due on %(due_date)s, "
          "cash value %(cash_value)s.")),
)

ACCOUNT_NOTICES = (
    NoticeType("contact_changed", N_("Contact details changed"), (
        DataField("change", CHOICE, N_("What changed"), choices=CONTACT_CHANGES),
        _date("changed_on", N_("Changed on")),
    ), N_("Your contact details were changed (%(change)s) on %(changed_on)s. Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    NoticeType("bank_changed", N_("Bank account changed"), (
        _text("account", N_("New account")),
        _date("changed_on", N_("Changed on")),
    ), N_("Your bank account was changed to %(account)s on %(changed_on)s. Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    NoticeType("new_device", N_("New sign-in"), (
        _text("device", N_("Device")),
        _date("signed_in_on", N_("Signed in on")),
    ), N_("New sign-in to your account from %(device)s on %(signed_in_on)s. Not you? Freeze your account."),
        has_letter=False, about_policy=False, security=True),
    NoticeType("password_reset", N_("Password reset"), (
        _date("reset_on", N_("Reset on")),
    ), N_("Your password was reset on %(reset_on)s. Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    NoticeType("payout_held", N_("Payout held"), (
        _text("reference", N_("Payout")),
        _money("amount", N_("Amount"), required=False),  # not known yet for every servicing payout
        _date("release_on", N_("Released on")),
    ), N_("Payout %(reference)s goes to a new payee and is held until %(release_on)s."),  # the amount is not always known
        has_letter=False, about_policy=False, security=True),
    # A bank account removed is not bank_changed with a flag: that type's notices are signed
    # already, without one, and say "New account".
    NoticeType("bank_removed", N_("Bank account removed"), (
        _text("account", N_("Account removed")),
        _date("removed_on", N_("Removed on")),
    ), N_("The bank account %(account)s was removed from your policies on %(removed_on)s. Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    # The policy of a payout or a change of payee is a field: an account notice is not filed
    # under a policy (it has no event behind it).
    NoticeType("money_moved", N_("Money paid out"), (
        DataField("what", LABEL, N_("Payment")),
        _text("on_policy", N_("Policy")),
        _text("account", N_("Paid into")),
        _date("moved_on", N_("Paid out on")),
    ), N_("%(what)s on policy %(on_policy)s is paid to %(account)s (%(moved_on)s). Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    NoticeType("payee_changed", N_("Payee changed"), (
        DataField("what", LABEL, N_("Change made")),
        _text("on_policy", N_("Policy")),
        _date("changed_on", N_("Changed on")),
    ), N_("%(what)s was done on policy %(on_policy)s on %(changed_on)s. Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    # Freezing and lifting are one thing, the freeze's state, told to the same contacts: one
    # type with a state (the inbox filters them together); the authenticator likewise.
    NoticeType("money_freeze", N_("Freeze of online money movements"), (
        DataField("state", CHOICE, N_("Freeze"), choices=FREEZE_STATES),
        _date("changed_on", N_("Changed on")),
    ), N_("Freeze of online money movements on your policies: %(state)s on %(changed_on)s. "
          "Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    NoticeType("authenticator", N_("Authenticator app"), (
        DataField("state", CHOICE, N_("Authenticator app"), choices=AUTHENTICATOR_STATES),
        _date("changed_on", N_("Changed on")),
    ), N_("The authenticator app of your online account: %(state)s on %(changed_on)s. Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    # Not password_reset: that one was a forgotten password reset by a code, this one a change
    # made signed in with the current password; told apart, they say which door was used.
    NoticeType("password_changed", N_("Password changed"), (
        _date("changed_on", N_("Changed on")),
    ), N_("Your password was changed on %(changed_on)s. Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    NoticeType("online_service_closed", N_("Online service closed"), (
        _date("closed_on", N_("Closed on")),
    ), N_("Online service was closed for you on %(closed_on)s; your policies are not affected. "
          "Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
    NoticeType("sign_in_paused", N_("Sign-in paused"), (
        _date("paused_on", N_("Paused on")),
    ), N_("Several wrong passwords were entered for your account on %(paused_on)s, so sign-in is paused "
          "for a while. Not you? Call us at once."),
        has_letter=False, about_policy=False, security=True),
)

ALL = LETTERS + ACCOUNT_NOTICES


@cache
def _by_code() -> dict[str, NoticeType]:
    return {notice_type.code: notice_type for notice_type in ALL}


def all_types() -> tuple[NoticeType, ...]:
    return ALL


def notice_type(code: str) -> NoticeType:
    found = _by_code().get(code)
    if found is None:
        raise InvalidInput(UNKNOWN_NOTICE_TYPE, field="type", type=(code or "")[:32])
    return found
