"""HELP/帮助, and the answer to anything else: the commands in one short text."""
from __future__ import annotations

from paas.errors import N_
from saas.sms.conversation import Conversation
from saas.sms.registry import SmsCommand

HELP_TEXT = N_("[Pinghe Life] Reply POL my policies, DUE premiums due, PAY+policy pay link, VAL/DIV/CLAIM+policy "
               "value/dividends/claims, WD+policy+amount withdraw, TD stop SMS. Service line 95500.")
NOT_LINKED = N_("[Pinghe Life] This number is not linked to online service. Open it at %(url)s or call 95500. "
                "Reply HELP for the commands.")


def help_text(conversation: Conversation, args: tuple[str, ...] = ()) -> str:
    if conversation.principal is None:
        return conversation.t(NOT_LINKED, url=conversation.uow.platform.public_url)
    return conversation.t(HELP_TEXT)


HELP = SmsCommand("HELP", ("HELP", "H", "?", "帮助", "幫助"), "", help_text, needs_customer=False, reads_only=True)
