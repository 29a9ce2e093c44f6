"""Server-side sign-in sessions: a new random token at every sign-in, gone at sign-out,
expired after a period of inactivity or a maximum lifetime."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, select, update

from iaas.database import DirectStatement

from paas.security.models import Account, LoginSession
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

# last_seen_at is written at most this often, so browsing does not turn every page view
# into a database write; the idle timeout is therefore exact to within this much.
TOUCH_INTERVAL = timedelta(seconds=60)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def principal_of(account: Account) -> Principal:
    return Principal(
        account_id=account.id,
        display_name=account.display_name,
        locale=account.locale,
        customer_id=account.customer_id,
        role=account.role,
        authority_level=account.authority_level,
    )


def open_session(uow: "UnitOfWork", account: Account, *, address: str | None, user_agent: str | None) -> str:
    token = secrets.token_urlsafe(32)
    now = uow.clock.now()
    uow.session.add(
        LoginSession(
            token_hash=token_hash(token),
            account_id=account.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + uow.platform.security.session_lifetime,
            address=address,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    return token


# Built once and run on the DBAPI cursor: this runs on every signed-in request.
_LOOKUP = DirectStatement(
    select(
        LoginSession.id,
        LoginSession.last_seen_at,
        LoginSession.expires_at,
        Account.id,
        Account.display_name,
        Account.locale,
        Account.customer_id,
        Account.role,
        Account.authority_level,
        Account.is_active,
    )
    .join(Account, Account.id == LoginSession.account_id)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)


def resolve_session(uow: "UnitOfWork", token: str | None) -> Principal | None:
    """The principal behind a session token, or None if it is unknown, idle too long,
    past its lifetime, or its account was disabled."""
    if not token or len(token) > 100:
        return None
    connection = uow.connection()  # Core, no ORM session: this runs on every signed-in request
    row = _LOOKUP.one_or_none(connection, {"token_hash": token_hash(token)})
    if row is None:
        return None
    session_id, last_seen, expires_at, account_id, name, locale, customer_id, role, level, active = row
    now = uow.clock.now()
    if not active or now >= expires_at or now - last_seen >= uow.platform.security.idle_timeout:
        connection.execute(delete(LoginSession).where(LoginSession.id == session_id))
        return None
    if now - last_seen >= TOUCH_INTERVAL:
        connection.execute(update(LoginSession).where(LoginSession.id == session_id).values(last_seen_at=now))
    return Principal(account_id, name, locale, customer_id, role, level)


def close_session(uow: "UnitOfWork", token: str | None) -> None:
    if token:
        uow.session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))
