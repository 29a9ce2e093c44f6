"""Payment links sent by SMS (PAY/支付): short, signed, expiring and single use. The link
pays the oldest open premium of one policy through the same payment service as the web
(``paas.billing.payments.start_payment``), and its page shows only the amount and the policy
number masked: whoever sees the phone's screen learns nothing else. The token is a random
nonce and a keyed tag over what it pays, so a guessed or altered link is refused before
any look-up reveals whether it exists."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from paas.billing.dues import Due
from paas.errors import N_, InvalidInput, NotFound
from paas.persistence import Base
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.billing.payments import ReturnUrls, StartedPayment
    from paas.unit_of_work import UnitOfWork

LIFETIME = timedelta(hours=24)
PATH = "/p/"
NOT_FOUND = N_("This payment link is not valid. Reply PAY and the policy number to get a new one.")
EXPIRED = N_("This payment link has expired. Reply PAY and the policy number to get a new one.")
USED = N_("This payment link has been used already. Reply PAY and the policy number to get a new one.")
_NONCE_CHARS = 10  # ~60 bits of randomness, then ~50 bits of tag: short enough for one SMS
_TAG_CHARS = 10
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read off a phone and typed in


class PayLink(Base):
    __tablename__ = "sms_pay_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(16), unique=True)
    customer_id: Mapped[int] = mapped_column(index=True)
    policy_id: Mapped[int]
    policy_number: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date]
    amount: Mapped[Decimal]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


@dataclass(frozen=True)
class PayLinkView:
    token: str
    amount: Decimal
    policy_masked: str
    problem: str | None  # EXPIRED / USED, or None when it can be paid


def mask_policy(number: str) -> str:
    return "*" * max(0, len(number) - 4) + number[-4:]


def _tag(uow: "UnitOfWork", nonce: str, policy_id: int, due_date: date, expires_at: datetime) -> str:
    digest = uow.keyring.blind_index(f"{nonce}:{policy_id}:{due_date.isoformat()}:{expires_at.isoformat()}",
                                     context="billing.pay_link")
    return "".join(_ALPHABET[int(digest[i:i + 2], 16) % len(_ALPHABET)] for i in range(0, 2 * _TAG_CHARS, 2))


def issue(uow: "UnitOfWork", customer_id: int, due: Due) -> str:
    """A new link for ``due`` (one of the customer's open dues); returns its token."""
    nonce = "".join(secrets.choice(_ALPHABET) for _ in range(_NONCE_CHARS))
    now = uow.clock.now()
    link = PayLink(nonce=nonce, customer_id=customer_id, policy_id=due.policy_id, policy_number=due.policy_number,
                   due_date=due.due_date, amount=due.amount, created_at=now, expires_at=now + LIFETIME)
    uow.session.add(link)
    uow.session.flush()
    return nonce + _tag(uow, nonce, link.policy_id, link.due_date, link.expires_at)


def _find(uow: "UnitOfWork", token: str, *, lock: bool) -> PayLink:
    token = (token or "").strip().lower()
    if len(token) != _NONCE_CHARS + _TAG_CHARS or not all(c in _ALPHABET for c in token):
        raise NotFound(NOT_FOUND)
    query = select(PayLink).where(PayLink.nonce == token[:_NONCE_CHARS])
    link = uow.session.scalar(query.with_for_update() if lock else query)
    if link is None or not hmac.compare_digest(
            _tag(uow, link.nonce, link.policy_id, link.due_date, link.expires_at), token[_NONCE_CHARS:]):
        raise NotFound(NOT_FOUND)
    return link


def _problem(uow: "UnitOfWork", link: PayLink) -> str | None:
    if link.used_at is not None:
        return USED
    if uow.clock.now() >= link.expires_at:
        return EXPIRED
    return None


def view(uow: "UnitOfWork", token: str) -> PayLinkView:
    link = _find(uow, token, lock=False)
    return PayLinkView(token, link.amount, mask_policy(link.policy_number), _problem(uow, link))


def redeem(uow: "UnitOfWork", token: str, urls: "ReturnUrls") -> "StartedPayment":
    """Start the payment the link is for, once: the link is spent in the same transaction."""
    from paas.billing.payments import start_payment

    link = _find(uow, token, lock=True)
    problem = _problem(uow, link)
    if problem is not None:
        raise InvalidInput(problem)
    account = uow.session.scalar(select(Account).where(Account.customer_id == link.customer_id))
    if account is None or not account.is_active:
        raise NotFound(NOT_FOUND)
    who = Principal(account.id, account.display_name, account.locale, customer_id=link.customer_id)
    started = start_payment(uow, who, [(link.policy_number, link.due_date)], urls)
    link.used_at = uow.clock.now()
    return started
