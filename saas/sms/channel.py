"""One inbound SMS, whichever way it came: answered once, within the sender's rate limit,
with data only for a verified mobile bound to a customer, in their language, in at most two
segments. This is the transaction owner, as a web request is: the command's work, the record
of the message and its reply (queued in the outbox, sent after the commit) commit together.

Nothing a sender types ends in an exception: a service's refusal is said in the reply, and
anything unforeseen is logged and answered with the help text."""
from __future__ import annotations

import logging
from functools import lru_cache
import re
import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select
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
# What no database column can keep (NUL on PostgreSQL, a lone surrogate anywhere) and nothing
# needs: kept as the replacement character, as a phone shows what it cannot render.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _storable(text: str | None, limit: int) -> str:
    return _UNSTORABLE.sub("\ufffd", (text or "")[:limit])


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


# Built once (compiled once): two look-ups every message makes, on the connection itself.
_SENDER = (select(Account.id, Account.display_name, Account.locale, Account.customer_id)
           .join(Customer, Customer.id == Account.customer_id)
           .where(Account.mobile == bindparam("mobile"), Customer.mobile == bindparam("mobile"), Account.is_active,
                  Account.role.is_(None)))
_SEEN = select(InboundRecord.id).where(InboundRecord.inbound_id == bindparam("inbound_id"))


def _sender(uow: "UnitOfWork", mobile: str) -> Principal | None:
    """The customer whose verified mobile this is: the number their online-service account was
    opened with (proved by a code then) and still the mobile on file."""
    row = uow.session.connection().execute(_SENDER, {"mobile": mobile}).first()
    if row is None:
        return None
    return Principal(row.id, row.display_name, supported(row.locale) or DEFAULT_LOCALE, customer_id=row.customer_id)


def _typed_locale(body: str) -> str:
    return "zh" if _CJK.search(body or "") else "en"


def _seen(uow: "UnitOfWork", inbound_id: str) -> bool:
    return uow.session.connection().execute(_SEEN, {"inbound_id": inbound_id}).first() is not None


def _record(uow: "UnitOfWork", sms: InboundSms, mobile: str, name: str, customer_id: int | None, locale: str,
            reply: str | None) -> InboundRecord:
    """Keep the message (a code in it masked) with its reply. Its id is unique: a second
    delivery racing this one fails at the commit and answers nothing."""
    record = InboundRecord(inbound_id=_storable(sms.inbound_id, 100), source=sms.source[:8], sender=mobile[:32],
                           recipient=_storable(sms.recipient, 32) or None,
                           body=_CODE_LIKE.sub("••••••", _storable(sms.body, 1600)),
                           command=name[:16], customer_id=customer_id, reply=reply, reply_locale=locale,
                           received_at=uow.clock.now())
    uow.session.add(record)
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
    """Answer ``sms`` in a unit of work of its own (the provider's deliveries, the CLI); returns
    the reply, or None when it was answered before or is over the sender's limit (then it gets
    no reply at all: a loop or a flood is not fed)."""
    with platform.unit_of_work() as uow:
        return answer(uow, sms)


def answer(uow: "UnitOfWork", sms: InboundSms) -> str | None:
    """``handle`` in the caller's unit of work (a console request owns its transaction: on
    SQLite a second one would wait for the first's write lock). Commits it."""
    platform = uow.platform
    mobile = normalise_sender(sms.sender)
    if _seen(uow, _storable(sms.inbound_id, 100)):
        return None
    if platform.rate_limiter.reserve(LIMIT, "sms-in", mobile) is None:
        _record(uow, sms, mobile, LIMITED, None, _typed_locale(sms.body), None)
        _commit_once(uow)
        return None
    principal = _sender(uow, mobile)
    locale = principal.locale if principal else _typed_locale(sms.body)
    conversation = Conversation(uow, sms, mobile, locale, principal)
    parsed = parse(sms.body, keyword_map())
    try:
        reply = _answer(conversation, parsed.command, parsed.args)
    except DomainError as error:
        uow.rollback()  # nothing half-done; what the engine committed itself (a wrong code) stays
        reply = _refusal(conversation, error)
    except Exception:  # noqa: BLE001 - a sender's text must never break the channel
        log.exception("SMS command %s failed", parsed.command)
        uow.rollback()
        reply = help_text(conversation)
    reply = fit(reply)
    customer_id = principal.customer_id if principal else None
    _record(uow, sms, mobile, parsed.command, customer_id, locale, reply)
    outbox.queue(uow, channel="sms", kind="sms_reply", recipient=mobile, body=reply, locale=locale,
                 customer_id=customer_id)
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
