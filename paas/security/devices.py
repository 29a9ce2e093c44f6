"""Known devices, and the alert of a sign-in from a new one: a browser is known by a keyed hash
of its user agent once it has signed in to the account. The first device of an account (the
one it was opened on) is simply remembered. A visitor without policies has nothing to guard
by alerts."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.customers.models import Customer
from paas.errors import N_
from paas.security import alerts
from paas.security.models import Account, KnownDevice
from paas.security.sessions_view import device_name

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NEW_DEVICE = alerts.AlertKind("new_device", N_(
    "[Pinghe Life] Your online account was signed in to from a new device (%(device)s, %(address)s)."),
    notice=lambda params, shown, on: ("new_device", {"device": str(params["device"]), "signed_in_on": on}))


def note_sign_in(uow: "UnitOfWork", account: Account, *, user_agent: str | None, address: str | None) -> bool:
    """Remember the device; tell the customer when it is new and not the account's first. True if new."""
    digest = uow.keyring.blind_index((user_agent or "")[:200], context="account.device")
    known = uow.session.scalars(select(KnownDevice.device_hash).where(KnownDevice.account_id == account.id)).all()
    if digest in known:
        return False
    uow.session.add(KnownDevice(account_id=account.id, device_hash=digest, first_seen_at=uow.clock.now()))
    if known and account.customer_id is not None:
        customer = uow.session.get(Customer, account.customer_id)
        alerts.alert(uow, customer, NEW_DEVICE, device=device_name(user_agent), address=address or "?")
    return True
