"""The query commands: POL/保单 (my policies), DUE/缴费 (premiums due), VAL/价值 (values),
DIV/红利 (dividends and benefits held), CLAIM/理赔 (claims). Each reads the same services as
the web's pages and says the few figures that fit an SMS."""
from __future__ import annotations

from paas.claims.views import STATUS_LABELS as CLAIM_STATUS
from paas.errors import N_
from paas.policies.lookup import pick_by_digits
from paas.policies.terms import STATUS_LABELS as POLICY_STATUS
from paas.servicing.kinds.common import amount_text
from saas.sms.conversation import CLAIMS_READ, DUES_READ, SHEET, Conversation
from saas.sms.registry import SmsCommand

NO_POLICIES = N_("[Pinghe Life] You have no policies with us.")
POLICIES = N_("[Pinghe Life] Your policies: %(lines)s")
POLICY_LINE = N_("%(number)s %(product)s %(status)s")
NO_DUES = N_("[Pinghe Life] No premium is due now.")
DUES = N_("[Pinghe Life] Premiums due: %(lines)s. Reply PAY and the policy number for a payment link.")
DUE_LINE = N_("%(number)s %(amount)s yuan on %(date)s")
VALUES = N_("[Pinghe Life] Policy %(number)s today: cash value %(cash)s yuan, loans %(debt)s yuan, "
            "net %(net)s yuan.")
FUND_VALUE = N_("Fund value %(value)s yuan.")
HELD = N_("[Pinghe Life] Policy %(number)s holds %(dividends)s yuan of dividends and %(benefits)s yuan of "
          "survival benefits for you. Reply WD, the policy and an amount to withdraw.")
NO_CLAIMS = N_("[Pinghe Life] There is no claim on policy %(number)s.")
CLAIM_LINE = N_("[Pinghe Life] Claim %(reference)s on policy %(number)s: %(status)s.")
LIST_SEPARATOR = N_("; ")


def _policy(conversation: Conversation, args: tuple[str, ...]):
    """The policy named, read from the asset sheet (one query for the name and the values)."""
    sheet = conversation.asset_sheet()
    number = pick_by_digits([p.policy_number for p in sheet.policies], args[0] if args else None)
    return next(p for p in sheet.policies if p.policy_number == number)


def policies(conversation: Conversation, args: tuple[str, ...]) -> str:
    sheet = conversation.asset_sheet()
    if not sheet.policies:
        return conversation.t(NO_POLICIES)
    lines = [conversation.t(POLICY_LINE, number=p.policy_number, product=p.product_name(conversation.locale),
                            status=conversation.t(POLICY_STATUS.get(p.status, p.status))) for p in sheet.policies]
    return conversation.t(POLICIES, lines=conversation.t(LIST_SEPARATOR).join(lines))


def dues(conversation: Conversation, args: tuple[str, ...]) -> str:
    first_of_each: dict[str, object] = {}
    for due in conversation.open_dues():
        first_of_each.setdefault(due.policy_number, due)  # oldest first: the one to pay next
    if not first_of_each:
        return conversation.t(NO_DUES)
    lines = [conversation.t(DUE_LINE, number=d.policy_number, amount=amount_text(d.amount), date=d.due_date)
             for d in first_of_each.values()]
    return conversation.t(DUES, lines=conversation.t(LIST_SEPARATOR).join(lines))


def values(conversation: Conversation, args: tuple[str, ...]) -> str:
    policy = _policy(conversation, args)
    v = policy.valuation
    text = conversation.t(VALUES, number=policy.policy_number, cash=amount_text(v.cash_value), debt=amount_text(v.debt),
                          net=amount_text(v.net_cash_value))
    if v.fund_value is not None:
        text += " " + conversation.t(FUND_VALUE, value=amount_text(v.fund_value))
    return text


def held(conversation: Conversation, args: tuple[str, ...]) -> str:
    policy = _policy(conversation, args)
    return conversation.t(HELD, number=policy.policy_number, dividends=amount_text(policy.valuation.dividends_held),
                          benefits=amount_text(policy.valuation.survival_benefits_held))


def claims(conversation: Conversation, args: tuple[str, ...]) -> str:
    number = pick_by_digits([p.policy_number for p in conversation.asset_sheet().policies], args[0] if args else None)
    mine = [c for c in conversation.claims() if c.policy_number == number]
    if not mine:
        return conversation.t(NO_CLAIMS, number=number)
    latest = mine[0]
    return conversation.t(CLAIM_LINE, reference=latest.reference, number=number,
                          status=conversation.t(CLAIM_STATUS.get(latest.status, latest.status)))


POL = SmsCommand("POL", ("POL", "保单", "保單"), N_("My policies"), policies, reads_only=True,
                 reads=(SHEET,))
DUE = SmsCommand("DUE", ("DUE", "缴费", "繳費"), N_("Premiums due"), dues, reads_only=True, reads=(DUES_READ,))
VAL = SmsCommand("VAL", ("VAL", "价值", "價值"), N_("Values of a policy"), values, reads_only=True,
                 reads=(SHEET,))
DIV = SmsCommand("DIV", ("DIV", "红利", "紅利"), N_("Dividends and benefits held"), held, reads_only=True,
                 reads=(SHEET,))
CLAIM = SmsCommand("CLAIM", ("CLAIM", "理赔", "理賠"), N_("Claims on a policy"), claims, reads_only=True,
                   reads=(SHEET, CLAIMS_READ))
