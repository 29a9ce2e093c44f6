"""Security alerts: a change of contact, bank account or payee, and every money movement, told
at once to the contacts the customer had BEFORE the change (an attacker who has just changed
the mobile must not be the only one to hear of it). SMS and e-mail go through the outbox, so
they leave only once the change is committed, in the customer's language.

One call: ``alert(uow, customer, kind, contacts=before, **params)``; ``contacts_of`` takes
the snapshot before the change. The kinds are typed below; each says what happened. A kind
makes an account notice of its type (``notice``, ``paas.notices.account``): signed, in the
customer's inbox, its deliveries planned to these same contacts and carried by the outbox.
Every kind has one: a security alert is never a plain message that nobody can check later."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.errors import N_
from paas.i18n import DEFAULT_LOCALE, translate
from paas.i18n.dates import BUSINESS_TZ
from paas.security.models import Account

if TYPE_CHECKING:
    from paas.customers.models import Customer
    from paas.unit_of_work import UnitOfWork

FREEZE_PATH = "/security/freeze"
NOT_YOU = N_("Not you? Call 95500 or freeze online money movements at %(url)s")
SUBJECT = N_("Security alert from Pinghe Life")
Params = Mapping[str, object]


@dataclass(frozen=True)
class AlertKind:
    name: str  # the outbox kind: "alert_<name>"
    text: str  # message id; its placeholders are the alert's params
    # The account notice it makes: (its type, its fields) from the params as given, the same
    # as written in the customer's language (``translated`` ones translated) and the business date.
    notice: "Callable[[Params, Params, date], tuple[str, dict]]"
    translated: tuple[str, ...] = ()  # params that are message ids themselves


def dated(type_code: str, date_field: str, **fixed: str):
    """A notice of ``type_code`` saying only when (``date_field``) and ``fixed`` values."""
    return lambda params, shown, on: (type_code, {**fixed, date_field: on})


def _bank_changed(params: Params, shown: Params, on: date) -> tuple[str, dict]:
    return "bank_changed", {"account": str(params["account"]), "changed_on": on}


def _bank_removed(params: Params, shown: Params, on: date) -> tuple[str, dict]:
    return "bank_removed", {"account": str(params["account"]), "removed_on": on}


def _money_moved(params: Params, shown: Params, on: date) -> tuple[str, dict]:
    # The payee may be a message id ("paid back the way it was paid"): kept as written.
    return "money_moved", {"what": str(params["what"]), "on_policy": str(params["policy"]),
                           "account": str(shown["account"]), "moved_on": on}


def _payee_changed(params: Params, shown: Params, on: date) -> tuple[str, dict]:
    return "payee_changed", {"what": str(params["what"]), "on_policy": str(params["policy"]), "changed_on": on}


def _payout_held(params: Params, shown: Params, on: date) -> tuple[str, dict]:
    until = params["until"]
    release_on = until.astimezone(BUSINESS_TZ).date() if isinstance(until, datetime) else until
    fields = {"reference": str(params.get("reference") or params.get("claim")), "release_on": release_on}
    if params.get("amount") is not None:
        fields["amount"] = params["amount"]
    return "payout_held", fields


MOBILE_CHANGED = AlertKind("mobile_changed", N_(
    "[Pinghe Life] The mobile number on your policies was changed to %(mobile)s."), notice=dated("contact_changed", "changed_on", change="mobile"))
EMAIL_CHANGED = AlertKind("email_changed", N_(
    "[Pinghe Life] The e-mail address on your policies was changed to %(email)s."), notice=dated("contact_changed", "changed_on", change="email"))
BANK_ACCOUNT_ADDED = AlertKind("bank_account_added", N_(
    "[Pinghe Life] A bank account (%(account)s) was added to your policies."), notice=_bank_changed)
BANK_ACCOUNT_REMOVED = AlertKind("bank_account_removed", N_(
    "[Pinghe Life] The bank account %(account)s was removed from your policies."), notice=_bank_removed)
PAYEE_CHANGED = AlertKind("payee_changed", N_(
    "[Pinghe Life] %(what)s was done on policy %(policy)s."), translated=("what",), notice=_payee_changed)
MONEY_MOVED = AlertKind("money_moved", N_(
    "[Pinghe Life] %(what)s on policy %(policy)s: money is being paid to %(account)s."),
    translated=("what", "account"), notice=_money_moved)
PAYOUT_HELD = AlertKind("payout_held", N_(
    "[Pinghe Life] %(what)s on policy %(policy)s pays to a bank account added lately (%(account)s): "
    "it waits until %(until)s and you can cancel it until then."), translated=("what", "account"),
    notice=_payout_held)
CLAIM_PAYOUT_HELD = AlertKind("claim_payout_held", N_(
    "[Pinghe Life] Claim %(claim)s on policy %(policy)s is approved; it is paid to a bank account added lately "
    "(%(account)s), so the payment waits until %(until)s. If this was not you, call 95500 before then to stop it."),
    notice=_payout_held)
FREEZE_ON = AlertKind("freeze_on", N_(
    "[Pinghe Life] Online money movements on your policies are now frozen. Only our staff can lift this."),
    notice=dated("money_freeze", "changed_on", state="on"))
FREEZE_LIFTED = AlertKind("freeze_lifted", N_(
    "[Pinghe Life] The freeze of online money movements on your policies was lifted."),
    notice=dated("money_freeze", "changed_on", state="lifted"))


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
    from paas.notices import account  # the notices' part, loaded when an alert makes one

    type_code, fields = kind.notice(params, shown, uow.clock.today())
    account.record(uow, customer, type_code, fields, language=to.locale, on=uow.clock.today(),
                   recipients={"sms": to.mobile, "email": to.email},
                   wording=account.Wording(f"alert_{kind.name}", body, translate(to.locale, SUBJECT)))
