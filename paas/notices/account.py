"""Account notices (every security alert: contact or bank account changed or removed, new
device, password reset or changed, payout held, money paid out, payee changed, money freeze,
authenticator, online service closed, sign-in paused): short, SMS / e-mail only, with no policy
event behind them. The security rules make them
(``paas.security.alerts``) in the transaction of the change; each is signed like every notice,
kept in the customer's inbox and checkable on /verify.

Its deliveries go to the recipients the rule names - for a change of contact the contacts on
file BEFORE it, never only the new ones - not to those on file when it is sent, and by every
channel, whatever the preference or the SMS opt-out (``NoticeType.security``). The words are
the rule's own (what happened, and "Not you? Call 95500 or freeze ..."), with the inbox link;
the outbox carries them after the commit under the alert's kind (``alert_*``, which the opt-out
lets through), so nothing leaves if the change rolls back. One delivery row per notice and
channel (unique), handed to the outbox only when it is new: a notice never goes twice by one."""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from paas.i18n import DEFAULT_LOCALE, supported, translate
from paas.messaging import outbox
from paas.notices import document
from paas.notices.delivery import READ_IT, SENT, inbox_url
from paas.notices.models import Notice, NoticeDelivery
from paas.notices.planning import plan_to
from paas.notices.preferences import EMAIL, SMS
from paas.notices.types import notice_type

if TYPE_CHECKING:
    from paas.customers.models import Customer
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Wording:
    """What the rule says, already in the notice's language."""

    kind: str  # the outbox kind, "alert_<name>"
    body: str
    subject: str


def account_number() -> str:
    """An account notice has no event to be numbered by: a random number (its code is the key)."""
    return f"A{secrets.randbelow(10 ** 11):011d}"


def record(uow: "UnitOfWork", customer: "Customer", type_code: str, fields: Mapping[str, object], *,
           language: str, on: date, recipients: Mapping[str, str | None], wording: Wording) -> Notice:
    """Sign and store the notice, plan its deliveries to ``recipients`` (channel -> address) and
    hand them to the outbox; returns the notice."""
    kind = notice_type(type_code)
    if kind.about_policy or not kind.security:
        raise ValueError(f"{type_code} is not an account notice")
    language = supported(language) or DEFAULT_LOCALE
    data = document.build(type_code, notice_number=account_number(), language=language, issued_on=on,
                          recipient_name=customer.name or customer.customer_number, policy_number=None, fields=fields)
    canonical = document.canonical_bytes(data)
    key_id, signature = uow.keyring.sign(canonical, purpose=document.PURPOSE)
    now = uow.clock.now()
    notice = Notice(code=document.verification_code(signature), customer_id=customer.id, policy_id=None,
                    event_id=None, notice_type=type_code, locale=language, issued_on=on, canonical=canonical,
                    signature=signature, key_id=key_id, created_at=now)
    uow.session.add(notice)
    uow.session.flush()
    planned = plan_to(uow.session, notice.id, recipients, now)
    link = translate(language, READ_IT, url=inbox_url(uow.platform.public_url, notice.id))
    for delivery_id in planned:
        delivery = uow.session.get(NoticeDelivery, delivery_id)
        message = outbox.queue(
            uow, channel=delivery.channel, kind=wording.kind, recipient=delivery.recipient, locale=language,
            body=f"{wording.body} {link}" if delivery.channel == SMS else f"{wording.body}\n\n{link}",
            subject=wording.subject if delivery.channel == EMAIL else None, customer_id=customer.id)
        uow.session.flush()
        # Handed over: the outbox sends it after the commit (and retries); the deliverer must not.
        delivery.status, delivery.sent_at, delivery.provider_id = SENT, now, f"outbox:{message.id}"
    return notice
