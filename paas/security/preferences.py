"""A signed-in person's own settings."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, update

from paas.audit import chain
from paas.errors import N_, InvalidInput
from paas.i18n import DEFAULT_LOCALE, supported
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def set_locale(uow: "UnitOfWork", who: Principal, locale: str) -> None:
    chosen = supported(locale)
    if chosen is None:
        raise InvalidInput(N_("That language is not available."), field="locale")
    changed = uow.session.execute(
        update(Account).where(Account.id == who.account_id, Account.locale != chosen).values(locale=chosen)
    ).rowcount
    if changed:
        chain.record(uow, who.actor, "account.locale_changed", subject=f"account:{who.account_id}", detail={"locale": chosen})


def customer_locale(uow: "UnitOfWork", customer_id: int, *, account_locale: str | None = None) -> str:
    """The language a customer reads their SMS and mail in: their account's, whoever acts
    (a clerk entering a change for them writes in the console's language, not theirs)."""
    chosen = account_locale or uow.session.scalar(select(Account.locale).where(Account.customer_id == customer_id))
    return supported(chosen) or DEFAULT_LOCALE
