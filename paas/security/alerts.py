"""Security alerts: a change of contact, bank account or payee, and every money movement, told
at once to the contacts the customer had BEFORE the change (an attacker who has just changed
the mobile must not be the only one to hear of it). SMS and e-mail go through the outbox, so
they leave only once the change is committed, in the customer's language.

One call: ``alert(uow, customer, kind, contacts=before, **params)``; ``contacts_of`` takes
the snapshot before the change. The kinds are typed below; each says what happened. A kind
with an account notice type (``notice``) becomes that notice (``paas.notices.account``): signed,
in the customer's inbox, its deliveries planned to these same contacts and carried by the
outbox; the others go to the outbox alone."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.errors import N_
from paas.i18n import DEFAULT_LOCALE, translate
from paas.i18n.dates import BUSINESS_TZ
from paas.messaging import outbox
from paas.security.models import Account

if TYPE_CHECKING:
    from paas.customers.models import Customer
    from paas.unit_of_work import UnitOfWork

FREEZE_PATH = "/security/freeze"
NOT_YOU = N_("Not you? Call 95500 or freeze online money movements at %(url)s")
SUBJECT = N_("Security alert from Pinghe Life")


@dataclass(frozen=True)
class AlertKind:
    name: str  # the outbox kind: "alert_<name>"
    text: str  # message id; its placeholders are the alert's params
    translated: tuple[str, ...] = ()  # params that are message ids themselves
    # The account notice it makes: (its type, its fields) from the params and the business date.
    notice: "Callable[[Mapping[str, object], date], tuple[str, dict]] | None" = None


def _contact_changed(change: str):
    return lambda params, on: ("contact_changed", {"change": change, "changed_on": on})


def _bank_changed(params: Mapping[str, object], on: date) -> tuple[str, dict]:
    return "bank_changed", {"account": str(params["account"]), "changed_on": on}


def _payout_held(params: Mapping[str, object], on: date) -> tuple[str, dict]:
    until = params["until"]
    release_on = until.astimezone(BUSINESS_TZ).date() if isinstance(until, datetime) else until
    fields = {"reference": str(params.get("reference") or params.get("claim")), "release_on": release_on}
    if params.get("amount") is not None:
        fields["amount"] = params["amount"]
    return "payout_held", fields


MOBILE_CHANGED = AlertKind("mobile_changed", N_(
    "[Pinghe Life] The mobile number on your policies was changed to %(mobile)s."), notice=_contact_changed("mobile"))
EMAIL_CHANGED = AlertKind("email_changed", N_(
    "[Pinghe Life] The e-mail address on your policies was changed to %(email)s."), notice=_contact_changed("email"))
BANK_ACCOUNT_ADDED = AlertKind("bank_account_added", N_(
    "[Pinghe Life] A bank account (%(account)s) was added to your policies."), notice=_bank_changed)
BANK_ACCOUNT_REMOVED = AlertKind("bank_account_removed", N_(
    "[Pinghe Life] The bank account %(account)s was removed from your policies."))
PAYEE_CHANGED = AlertKind("payee_changed", N_(
    "[Pinghe Life] %(what)s was done on policy %(policy)s."), translated=("what",))
MONEY_MOVED = AlertKind("money_moved", N_(
    "[Pinghe Life] %(what)s on policy %(policy)s: money is being paid to %(account)s."),
    translated=("what", "account"))
PAYOUT_HELD = AlertKind("payout_held", N_(
    "[Pinghe Life] %(what)s on policy %(policy)s pays to a bank account added lately (%(account)s): "
    "it waits until %(until)s and you can cancel it until then."), translated=("what", "account"),
    notice=_payout_held)
CLAIM_PAYOUT_HELD = AlertKind("claim_payout_held", N_(
    "[Pinghe Life] Claim %(claim)s on policy %(policy)s is approved; it is paid to a bank account added lately "
    "(%(account)s), so the payment waits until %(until)s. If this was not you, call 95500 before then to stop it."),
    notice=_payout_held)
FREEZE_ON = AlertKind("freeze_on", N_(
    "[Pinghe Life] Online money movements on your policies are now frozen. Only our staff can lift this."))
FREEZE_LIFTED = AlertKind("freeze_lifted", N_(
    "[Pinghe Life] The freeze of online money movements on your policies was lifted."))


@dataclass(frozen=True)
class Contacts:
    mobile: str | None
    email: str | None
    locale: str


def contacts_of(uow: "UnitOfWork", customer: "Customer", *, account_locale: str | None = None) -> Contacts:
    """Where the customer is reached now (take it before changing anything). ``account_locale``:
    their account's language when the caller read it already (else it is read here)."""
    locale = account_locale or uow.session.scalar(
        select(Account.locale).where(Account.customer_id == customer.id).limit(1))
    return Contacts(customer.mobile, customer.email, locale or DEFAULT_LOCALE)


def alert(uow: "UnitOfWork", customer: "Customer", kind: AlertKind, *, contacts: Contacts | None = None,
          **params: object) -> None:
    """Tell the customer, on ``contacts`` (by default those on file now), by SMS and e-mail."""
    to = contacts or contacts_of(uow, customer)
    shown = {key: translate(to.locale, str(value)) if key in kind.translated else value for key, value in params.items()}
    url = uow.platform.public_url.rstrip("/") + FREEZE_PATH  # the one place a message needs the portal's address
    body = translate(to.locale, kind.text, **shown) + " " + translate(to.locale, NOT_YOU, url=url)
    if kind.notice is not None:
        from paas.notices import account  # the notices' part, loaded when an alert makes one

        type_code, fields = kind.notice(params, uow.clock.today())
        account.record(uow, customer, type_code, fields, language=to.locale, on=uow.clock.today(),
                       recipients={"sms": to.mobile, "email": to.email},
                       wording=account.Wording(f"alert_{kind.name}", body, translate(to.locale, SUBJECT)))
        return
    if to.mobile:
        outbox.queue(uow, channel="sms", kind=f"alert_{kind.name}", recipient=to.mobile, body=body,
                     locale=to.locale, customer_id=customer.id)
    if to.email:
        outbox.queue(uow, channel="email", kind=f"alert_{kind.name}", recipient=to.email, body=body,
                     subject=translate(to.locale, SUBJECT), locale=to.locale, customer_id=customer.id)
