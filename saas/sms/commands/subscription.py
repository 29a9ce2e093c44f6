"""STOP/TD/退订 and START/订阅: the opt-out list (``paas.messaging.optout``). Any number may
opt out, linked to a customer or not: it is their phone."""
from __future__ import annotations

from paas.errors import N_
from paas.messaging import optout
from saas.sms.conversation import Conversation
from saas.sms.registry import SmsCommand

STOPPED = N_("[Pinghe Life] You will get no more SMS from us, except those the law requires and codes you ask for. "
             "Reply START to receive them again.")
STARTED = N_("[Pinghe Life] You will receive our SMS again. Reply TD to stop them.")


def stop(conversation: Conversation, args: tuple[str, ...]) -> str:
    optout.opt_out(conversation.uow, conversation.mobile, source="sms")
    return conversation.t(STOPPED)


def start(conversation: Conversation, args: tuple[str, ...]) -> str:
    optout.opt_in(conversation.uow, conversation.mobile)
    return conversation.t(STARTED)


STOP = SmsCommand("STOP", ("STOP", "TD", "T", "UNSUBSCRIBE", "退订", "退訂"), N_("Stop our SMS"), stop,
                  needs_customer=False)
START = SmsCommand("START", ("START", "SUBSCRIBE", "订阅", "訂閱"), N_("Receive our SMS again"), start,
                   needs_customer=False)
