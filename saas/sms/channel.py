"""One inbound SMS, whichever way it came: answered once, within the sender's rate limit,
with data only for a verified mobile bound to a customer, in their language, in at most two
segments. This is the transaction owner, as a web request is: the command's work, the record
of the message and its reply (queued in the outbox, sent after the commit) commit together.

Nothing a sender types ends in an exception: a service's refusal is said in the reply, and
anything unforeseen is logged and answered with the help text."""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from paas.messaging.inbound import InboundSms
from paas.customers.identity import normalise_mobile
from paas.customers.models import Customer
from paas.errors import N_, DomainError
from paas.i18n import DEFAULT_LOCALE, supported
from paas.messaging import outbox
from paas.messaging.sms_models import InboundSms as InboundRecord
from paas.policies.terms import STATUS_LABELS
from paas.security.models import Account
from paas.security.principal import Principal
from saas.sms.commands.help import help_text
from saas.sms.conversation import Conversation
from saas.sms.parser import UNKNOWN, parse
from saas.sms.registry import command, keyword_map
from saas.sms.segments import fit

if TYPE_CHECKING:
    from paas.platform import Platform
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
# Per number: enough for a conversation (a query, a withdrawal and its code, a retry), not
# for a script running up our SMS bill or guessing codes across requests.
LIMIT = "20 per 10 minutes"
REFUSED = N_("[Pinghe Life] %(reason)s")
LIMITED = "LIMITED"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CODE_LIKE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


def normalise_sender(raw: object) -> str:
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else "")[:32].strip()
    try:
        return normalise_mobile(text)
    except DomainError:
        digits = "".join(c for c in text if c.isascii() and c.isdigit())
        return ("+" if text.startswith("+") else "") + digits if digits else "unknown"


def _sender(uow: "UnitOfWork", mobile: str) -> Principal | None:
    """The customer whose verified mobile this is: the number their online-service account was
    opened with (proved by a code then) and still the mobile on file."""
    row = uow.session.execute(
        select(Account.id, Account.display_name, Account.locale, Account.customer_id)
        .join(Customer, Customer.id == Account.customer_id)
        .where(Account.mobile == mobile, Customer.mobile == mobile, Account.is_active, Account.role.is_(None))
    ).first()
    if row is None:
        return None
    return Principal(row.id, row.display_name, supported(row.locale) or DEFAULT_LOCALE, customer_id=row.customer_id)


def _typed_locale(body: str) -> str:
    return "zh" if _CJK.search(body or "") else "en"


def _seen(uow: "UnitOfWork", inbound_id: str) -> InboundRecord | None:
    return uow.session.scalar(select(InboundRecord).where(InboundRecord.inbound_id == inbound_id))


def _claim(uow: "UnitOfWork", sms: InboundSms, mobile: str, name: str, customer_id: int | None,
           locale: str) -> InboundRecord | None:
    """Record the message before acting on it: a second delivery racing this one waits on the
    unique id, then finds it taken (None)."""
    record = InboundRecord(inbound_id=sms.inbound_id[:100], source=sms.source[:8], sender=mobile[:32],
                           recipient=(sms.recipient or None), body=_CODE_LIKE.sub("••••••", sms.body or "")[:1600],
                           command=name[:16], customer_id=customer_id, reply=None, reply_locale=locale,
                           received_at=uow.clock.now())
    try:
        with uow.session.begin_nested():
            uow.session.add(record)
    except IntegrityError:
        return None
    return record


def _answer(conversation: Conversation, name: str, args: tuple[str, ...]) -> str:
    chosen = command(name)
    if chosen is None or name == UNKNOWN or (chosen.needs_customer and conversation.principal is None):
        return help_text(conversation)
    return chosen.handle(conversation, args)


def _refusal(conversation: Conversation, error: DomainError) -> str:
    params = dict(error.params)
    if "status" in params:
        params["status"] = conversation.t(STATUS_LABELS.get(params["status"], str(params["status"])))
    return conversation.t(REFUSED, reason=conversation.t(error.message, **params))


def handle(platform: "Platform", sms: InboundSms) -> str | None:
    """Answer ``sms``; returns the reply, or None when it was answered before or is over the
    sender's limit (then it gets no reply at all: a loop or a flood is not fed)."""
    mobile = normalise_sender(sms.sender)
    with platform.unit_of_work() as uow:
        if _seen(uow, sms.inbound_id[:100]) is not None:
            return None
        if platform.rate_limiter.reserve(LIMIT, "sms-in", mobile) is None:
            if _claim(uow, sms, mobile, LIMITED, None, _typed_locale(sms.body)) is not None:
                uow.commit()
            return None
        principal = _sender(uow, mobile)
        locale = principal.locale if principal else _typed_locale(sms.body)
        conversation = Conversation(uow, sms, mobile, locale, principal)
        parsed = parse(sms.body, keyword_map())
        customer_id = principal.customer_id if principal else None
        record = _claim(uow, sms, mobile, parsed.command, customer_id, locale)
        if record is None:
            return None
        try:
            reply = _answer(conversation, parsed.command, parsed.args)
        except DomainError as error:
            uow.rollback()  # nothing half-done; what the engine committed itself (a wrong code) stays
            reply = _refusal(conversation, error)
            record = _seen(uow, sms.inbound_id[:100]) or _claim(uow, sms, mobile, parsed.command, customer_id, locale)
        except Exception:  # noqa: BLE001 - a sender's text must never break the channel
            log.exception("SMS command %s failed", parsed.command)
            uow.rollback()
            reply = help_text(conversation)
            record = _seen(uow, sms.inbound_id[:100]) or _claim(uow, sms, mobile, parsed.command, customer_id, locale)
        if record is None:
            return None
        reply = fit(reply)
        record.reply = reply
        outbox.queue(uow, channel="sms", kind="sms_reply", recipient=mobile, body=reply, locale=locale,
                     customer_id=customer_id)
        try:
            uow.commit()
        except IntegrityError:
            return None
    return reply
