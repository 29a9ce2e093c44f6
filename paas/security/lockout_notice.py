"""Telling an account holder, out of band, that sign-in was blocked after failed attempts: a
policyholder by a security alert (a signed notice in their inbox, to the contacts on file); a
visitor, who has no inbox yet, by the message alone."""
from __future__ import annotations

from typing import TYPE_CHECKING

from paas.customers.models import Customer
from paas.errors import N_
from paas.i18n import translate
from paas.messaging import outbox
from paas.security import alerts
from paas.security.models import Account

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

SMS_TEXT = N_(
    "[Pinghe Life] Several wrong passwords were entered for your account, so sign-in is paused for a while. "
    "If this was not you, please call us on 95500."
)
MAIL_SUBJECT = N_("Sign-in to your account was paused")
SIGN_IN_PAUSED = alerts.AlertKind("login_locked", N_(
    "[Pinghe Life] Several wrong passwords were entered for your online account, so sign-in is paused for a while."),
    notice=alerts.dated("sign_in_paused", "paused_on"))


def notify_locked_out(uow: "UnitOfWork", account: Account) -> None:
    if account.customer_id is not None:
        customer = uow.session.get(Customer, account.customer_id)
        alerts.alert(uow, customer, SIGN_IN_PAUSED, contacts=alerts.contacts_of(uow, customer, account_locale=account.locale))
        return
    locale = account.locale
    if account.mobile:
        outbox.queue(uow, channel="sms", kind="login_locked", recipient=account.mobile,
                     body=translate(locale, SMS_TEXT), locale=locale, customer_id=None)
    elif account.email:
        outbox.queue(uow, channel="email", kind="login_locked", recipient=account.email,
                     subject=translate(locale, MAIL_SUBJECT), body=translate(locale, SMS_TEXT), locale=locale,
                     customer_id=None)
