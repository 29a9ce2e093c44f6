"""Telling an account holder, out of band, that sign-in was blocked after failed attempts."""
from __future__ import annotations

from typing import TYPE_CHECKING

from paas.errors import N_
from paas.i18n import translate
from paas.messaging import outbox
from paas.security.models import Account

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

SMS_TEXT = N_(
    "[Pinghe Life] Several wrong passwords were entered for your account, so sign-in is paused for a while. "
    "If this was not you, please call us on 95500."
)
MAIL_SUBJECT = N_("Sign-in to your account was paused")


def notify_locked_out(uow: "UnitOfWork", account: Account) -> None:
    locale = account.locale
    if account.mobile:
        outbox.queue(
            uow,
            channel="sms",
            kind="login_locked",
            recipient=account.mobile,
            body=translate(locale, SMS_TEXT),
            locale=locale,
            customer_id=account.customer_id,
        )
    elif account.email:
        outbox.queue(
            uow,
            channel="email",
            kind="login_locked",
            recipient=account.email,
            subject=translate(locale, MAIL_SUBJECT),
            body=translate(locale, SMS_TEXT),
            locale=locale,
            customer_id=account.customer_id,
        )
