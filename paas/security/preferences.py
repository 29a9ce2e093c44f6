"""A signed-in person's own settings."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import update

from paas.audit import chain
from paas.errors import N_, InvalidInput
from paas.i18n import supported
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
