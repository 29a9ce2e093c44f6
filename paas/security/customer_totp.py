"""A policyholder's optional authenticator app (TOTP): turned on with the current password and
a first code, it becomes a second step at every sign-in (password or SMS code) and may answer a
step-up in place of the SMS code. Ten recovery codes, shown once, each work once instead of
the app; only their keyed hashes are kept."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyotp
from sqlalchemy import select

from paas.audit import chain
from paas.customers.models import Customer
from paas.errors import N_, AuthenticationFailed, InvalidInput
from paas.security import alerts, totp
from paas.security.models import Account
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

ISSUER = "Pinghe Life"
RECOVERY_CODES = 10
WRONG_PASSWORD = N_("Your current password is not right.")
WRONG_CODE = N_("That authenticator code is not right. Check the time on your phone and try the newest code.")
ALREADY_ON = N_("Your authenticator app is on already.")
TOTP_ON = alerts.AlertKind("totp_on", N_("[Pinghe Life] An authenticator app was turned on for your online account."),
                           notice=alerts.dated("authenticator", "changed_on", state="on"))
TOTP_OFF = alerts.AlertKind("totp_off", N_("[Pinghe Life] The authenticator app of your online account was turned off."),
                            notice=alerts.dated("authenticator", "changed_on", state="off"))


@dataclass(frozen=True)
class Setup:
    secret: str
    uri: str


def is_on(account: Account) -> bool:
    return account.role is None and account.totp_secret_cipher is not None


def new_setup(who: Principal, secret: str | None = None) -> Setup:
    """A secret to add to the app (a new one, or the one being set up again after a wrong code);
    nothing is stored until ``turn_on`` proves the app has it."""
    secret = secret or totp.new_secret()
    return Setup(secret, pyotp.TOTP(secret).provisioning_uri(name=who.display_name, issuer_name=ISSUER))


def _own(uow: "UnitOfWork", who: Principal, password: str) -> Account:
    account = uow.session.execute(select(Account).where(Account.id == who.account_id).with_for_update()).scalar_one()
    if not uow.platform.passwords.verify(account.password_hash, password or ""):
        raise AuthenticationFailed(WRONG_PASSWORD)
    return account


def _recovery_digest(uow: "UnitOfWork", account_id: int, code: str) -> str:
    return uow.keyring.blind_index(f"{account_id}:{code}", context="account.recovery")


def turn_on(uow: "UnitOfWork", who: Principal, secret: str, code: str, password: str) -> list[str]:
    """The recovery codes, to show once."""
    account = _own(uow, who, password)
    if is_on(account):
        raise InvalidInput(ALREADY_ON)
    valid_secret = len(secret or "") == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    step = totp.matching_step(secret, code, uow.clock.now(), last_step=None) if valid_secret else None
    if step is None:
        raise InvalidInput(WRONG_CODE, field="code")
    account.totp_secret_cipher = uow.keyring.encrypt(secret, context="account.totp_secret")
    account.totp_last_step = step
    recovery = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    account.recovery_codes = " ".join(_recovery_digest(uow, account.id, c) for c in recovery)
    chain.record(uow, who.actor, "totp.turned_on", subject=f"account:{account.id}")
    _tell(uow, account, TOTP_ON)
    return recovery


def turn_off(uow: "UnitOfWork", who: Principal, password: str) -> None:
    account = _own(uow, who, password)
    account.totp_secret_cipher = account.recovery_codes = account.totp_last_step = None
    chain.record(uow, who.actor, "totp.turned_off", subject=f"account:{account.id}")
    _tell(uow, account, TOTP_OFF)


def _tell(uow: "UnitOfWork", account: Account, kind: alerts.AlertKind) -> None:
    if account.customer_id is not None:
        alerts.alert(uow, uow.session.get(Customer, account.customer_id), kind)


def accepts(uow: "UnitOfWork", account: Account, code: str, *, recovery: bool = True) -> bool:
    """Whether ``code`` is the app's current code (each used once) or, if ``recovery``, an
    unused recovery code (then it is used up). ``account`` must be locked by the caller."""
    if not is_on(account):
        return False
    typed = (code or "").strip().replace(" ", "")
    secret = uow.keyring.decrypt(account.totp_secret_cipher, context="account.totp_secret")
    step = totp.matching_step(secret, typed, uow.clock.now(), last_step=account.totp_last_step)
    if step is not None:
        account.totp_last_step = step
        return True
    if recovery and len(typed) == 10 and typed.isdigit():
        left = (account.recovery_codes or "").split()
        digest = _recovery_digest(uow, account.id, typed)
        if digest in left:
            left.remove(digest)
            account.recovery_codes = " ".join(left)
            return True
    return False


def recovery_codes_left(account: Account) -> int:
    return len((account.recovery_codes or "").split())


def answers_step_up(uow: "UnitOfWork", who: Principal, code: str, *, account: Account | None = None) -> bool:
    """A policyholder with the app on may confirm a request with its code instead of the SMS
    (recovery codes are for signing in only). ``account``: theirs, when the caller has read it
    locked already (with the request: paas.servicing.engine.confirm)."""
    if not who.is_policyholder:
        return False
    if account is None or account.id != who.account_id:
        account = uow.session.execute(select(Account).where(Account.id == who.account_id).with_for_update()).scalar_one()
    return accepts(uow, account, code, recovery=False)
