"""One inbound SMS, whichever way it came: answered once, within the sender's rate limit,
with data only for a verified mobile bound to a customer, in their language, in at most two
segments. This is the transaction owner, as a web request is: the command's work, the record
of the message and its reply (queued in the outbox, sent after the commit) commit together.

Nothing a sender types ends in an exception: a service's refusal is said in the reply, and
anything unforeseen is logged and answered with the help text."""
from __future__ import annotations

import logging
from functools import lru_cache
import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from paas.messaging.inbound import InboundSms
from paas.customers.identity import normalise_mobile
from paas.errors import N_, DomainError
from paas.messaging.sms_intake import Taken, take_in
from paas.policies.terms import STATUS_LABELS
from saas.sms.commands.help import help_text
from paas.messaging import sms_records as records
from saas.sms.conversation import Conversation
from saas.sms.parser import UNKNOWN, parse
from saas.sms.registry import command, keyword_map
from saas.sms.segments import fit

if TYPE_CHECKING:
    from paas.platform import Platform
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
REFUSED = N_("[Pinghe Life] %(reason)s")
LIMITED = records.LIMITED


def normalise_sender(raw: object) -> str:
    """The sender in E.164 where it is a valid mobile, else its digits (it gets the help text)."""
    return _normalised(raw[:64]) if isinstance(raw, str) else "unknown"


@lru_cache(maxsize=8192)  # the same few numbers write again and again; parsing one costs ~70 µs
def _normalised(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw)[:32].strip()
    try:
        return normalise_mobile(text)
    except DomainError:
        digits = "".join(c for c in text if c.isascii() and c.isdigit())
        return ("+" if text.startswith("+") else "") + digits if digits else "unknown"


def _claim(uow: "UnitOfWork", sms: InboundSms, mobile: str) -> Taken | None:
    """Keep the message, unanswered for now, count it against the number's limit and find its
    sender, in this transaction (``sms_intake.take_in``: one statement on PostgreSQL): None
    when it was kept before (a redelivery, or a second delivery racing this one: that one
    answers it). Over the limit it stays unanswered (LIMITED), and None."""
    taken = take_in(uow, [(sms, mobile)])[0]
    if taken is None:
        return None
    if not taken.within_limit:
        uow.commit()  # the LIMITED record: a redelivery of it is not answered either
        return None
    return taken


def _reclaim(uow: "UnitOfWork", sms: InboundSms, mobile: str, record_id: int) -> int | None:
    """After a rollback: the record (and its count) stand if the command's engine committed
    them itself (a wrong code is kept); else they are made again."""
    if records.still_there(uow, record_id):
        return record_id
    taken = _claim(uow, sms, mobile)
    return taken.record_id if taken is not None else None


def reply_to(conversation: Conversation, name: str, args: tuple[str, ...]) -> str:
    chosen = command(name)
    if chosen is None or name == UNKNOWN or (chosen.needs_customer and conversation.principal is None):
        return help_text(conversation)
    return chosen.handle(conversation, args)


def refusal(conversation: Conversation, error: DomainError) -> str:
    params = dict(error.params)
    if "status" in params:
        params["status"] = conversation.t(STATUS_LABELS.get(params["status"], str(params["status"])))
    return conversation.t(REFUSED, reason=conversation.t(error.message, **params))


def handle(platform: "Platform", sms: InboundSms) -> str | None:
    """Answer ``sms`` in a unit of work of its own (the provider's deliveries, the CLI); returns
    the reply, or None when it was answered before or is over the sender's limit (then it gets
    no reply at all: a loop or a flood is not fed)."""
    with platform.unit_of_work() as uow:
        return answer(uow, sms)


def answer(uow: "UnitOfWork", sms: InboundSms) -> str | None:
    """``handle`` in the caller's unit of work (a console request owns its transaction: on
    SQLite a second one would wait for the first's write lock). Commits it: one transaction
    for the record, the count, the command's reads and the reply queued."""
    mobile = normalise_sender(sms.sender)
    taken = _claim(uow, sms, mobile)
    if taken is None:
        return None
    record_id, principal = taken.record_id, taken.principal
    locale = principal.locale if principal else records.typed_locale(sms.body)
    conversation = Conversation(uow, sms, mobile, locale, principal)
    parsed = parse(sms.body, keyword_map())
    try:
        reply = reply_to(conversation, parsed.command, parsed.args)
    except DomainError as error:
        uow.rollback()  # nothing half-done; what the engine committed itself (a wrong code) stays
        reply = refusal(conversation, error)
        record_id = _reclaim(uow, sms, mobile, record_id)
    except Exception:  # noqa: BLE001 - a sender's text must never break the channel
        log.exception("SMS command %s failed", parsed.command)
        uow.rollback()
        reply = help_text(conversation)
        record_id = _reclaim(uow, sms, mobile, record_id)
    if record_id is None:
        return None
    reply = fit(reply)
    customer_id = principal.customer_id if principal else None
    records.answered_and_queued(uow, [{"record_id": record_id, "command": parsed.command, "customer_id": customer_id,
                                       "locale": locale, "reply": reply, "recipient": mobile}])
    return reply if _commit_once(uow) else None


def _commit_once(uow: "UnitOfWork") -> bool:
    """Commit; False when the same message was recorded meanwhile (by a second delivery)."""
    try:
        uow.commit()
    except IntegrityError:
        log.info("SMS answered by a concurrent delivery of the same message")
        uow.rollback()
        return False
    return True
