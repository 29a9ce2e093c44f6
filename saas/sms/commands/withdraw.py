"""WD/领取 <policy> <amount>, then the six-digit code. The servicing engine does the work: it
starts the request (the code goes to the mobile on file, which is this number), counts wrong
codes and ends the request after too many, applies or holds it. This module only picks the
kind of withdrawal the policy offers, finds which request a code is for, and says the outcome.

A code is tied to its request and number: only requests of this customer made by SMS whose
code went to this very number are candidates. Where the provider says which of our messages
the reply answers (``previousPublishedMessageId``), it is the request that message was about."""
from __future__ import annotations

import json
import re
from decimal import Decimal

from sqlalchemy import select

from paas.errors import N_
from paas.messaging.models import OutboxMessage
from paas.policies.lookup import policy_by_digits
from paas.policies.queries import asset_sheet
from paas.servicing import engine
from paas.servicing.confirmation import CODE_EXPIRED, CONFIRMED
from paas.servicing.kinds.common import amount_text
from paas.servicing.models import ServiceRequest
from saas.sms.conversation import Conversation
from saas.sms.registry import SmsCommand

CHANNEL = "sms"
GIVE_AMOUNT = N_("[Pinghe Life] Say how much: WD, the policy and the amount, e.g. WD 0123 500.")
CODE_SENT = N_("[Pinghe Life] To withdraw %(amount)s yuan from policy %(policy)s (request %(reference)s), "
               "reply with the 6-digit code we are sending you. It expires in 5 minutes.")
NO_REQUEST = N_("[Pinghe Life] No request is waiting for a code from this number. Reply HELP for the commands.")
APPLIED = N_("[Pinghe Life] Request %(reference)s is confirmed and done.")
REFERRED = N_("[Pinghe Life] Request %(reference)s is confirmed; a colleague reviews it and we will tell you the outcome.")
HELD = N_("[Pinghe Life] Request %(reference)s is confirmed; it pays to a bank account added lately and waits until "
          "%(until)s.")
NOT_CONFIRMED = N_("[Pinghe Life] %(outcome)s")
NEW_CODE = N_("[Pinghe Life] That code had expired. We are sending you a new one for request %(reference)s: "
              "reply with it within 5 minutes.")
PAID_TO_YOU = "Paid to you"  # the preview line of every withdrawal kind
_REFERENCE = re.compile(r"SR[0-9A-F]{10}")
_AMOUNT_NOISE = str.maketrans("", "", "¥￥元,")


def _kind(conversation: Conversation, number: str) -> str:
    """Which withdrawal this policy offers: fund units, else dividends, else survival benefits
    (the engine still checks it is allowed and says why not)."""
    policy = next(p for p in asset_sheet(conversation.uow, conversation.customer_id).policies
                  if p.policy_number == number)
    v = policy.valuation
    if v.fund_value is not None:
        return "partial_withdrawal"
    if v.dividends_held <= 0 and v.survival_benefits_held > 0:
        return "survival_benefit_withdrawal"
    return "dividend_withdrawal"


def withdraw(conversation: Conversation, args: tuple[str, ...]) -> str:
    if len(args) < 2:
        return conversation.t(GIVE_AMOUNT)
    number = policy_by_digits(conversation.uow, conversation.customer_id, args[0])
    amount = "".join(args[1:]).upper().replace("YUAN", "").replace("RMB", "").translate(_AMOUNT_NOISE)[:20]
    request = engine.start(conversation.uow, conversation.principal, number, _kind(conversation, number),
                           {"amount": amount, "bank_account": "1"}, channel=CHANNEL,
                           idempotency_key=f"sms:{conversation.sms.inbound_id}")
    if request.status != "awaiting_code":  # nothing to confirm (not expected for a payout)
        return _confirmed(conversation, request)
    return conversation.t(CODE_SENT, amount=amount_text(_amount_of(request)), policy=number,
                          reference=request.reference)


def _amount_of(request: ServiceRequest) -> Decimal:
    """What the customer receives, as the engine's preview says it."""
    for line in json.loads(request.preview or "[]"):
        if line.get("label") == PAID_TO_YOU:
            return Decimal(str(line.get("after")))
    return Decimal("0.00")


def _request_for_code(conversation: Conversation) -> ServiceRequest | None:
    uow, mobile = conversation.uow, conversation.mobile
    waiting = list(uow.session.scalars(
        select(ServiceRequest).where(ServiceRequest.customer_id == conversation.customer_id,
                                     ServiceRequest.channel == CHANNEL, ServiceRequest.status == "awaiting_code",
                                     ServiceRequest.code_sent_to == mobile)
        .order_by(ServiceRequest.id.desc())))
    answered = conversation.sms.previous_published_id
    if answered:
        message = uow.session.scalar(select(OutboxMessage.body).where(
            OutboxMessage.provider_id == answered, OutboxMessage.recipient == mobile))
        found = _REFERENCE.search(message or "")
        if found:  # the reply answers a message about this request: this one or none
            return next((r for r in waiting if r.reference == found[0]), None)
    return waiting[0] if waiting else None


def confirm_code(conversation: Conversation, args: tuple[str, ...]) -> str:
    request = _request_for_code(conversation)
    if request is None:
        return conversation.t(NO_REQUEST)
    outcome = engine.confirm(conversation.uow, conversation.principal, request.reference, args[0])
    if outcome.result == CONFIRMED:
        return _confirmed(conversation, outcome.request)
    if outcome.result == CODE_EXPIRED:
        # A phone has no "send a new code" button: the reply to a stale code is a new one
        # (the engine limits how many and how often, and says so when it will not).
        engine.resend_code(conversation.uow, conversation.principal, request.reference)
        return conversation.t(NEW_CODE, reference=request.reference)
    return conversation.t(NOT_CONFIRMED, outcome=conversation.t(outcome.message, **outcome.params))


def _confirmed(conversation: Conversation, request: ServiceRequest) -> str:
    if request.status == "held" and request.hold_until is not None:
        return conversation.t(HELD, reference=request.reference, until=request.hold_until)
    if request.status == "pending_review":
        return conversation.t(REFERRED, reference=request.reference)
    return conversation.t(APPLIED, reference=request.reference)


WD = SmsCommand("WD", ("WD", "领取", "領取"), N_("Withdraw: policy and amount, then the code"), withdraw)
CODE = SmsCommand("CODE", (), "", confirm_code)
