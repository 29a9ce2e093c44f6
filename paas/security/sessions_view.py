"""The customer's own sessions, as the sessions page shows them: device (from the browser's
user agent), place (what the address says about itself; we keep no location database) and
when last seen. A session is reached by its id only among the account's own: another's is
not found (404)."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from paas.audit import chain
from paas.errors import N_, InvalidInput, NotFound
from paas.security.models import LoginSession
from paas.security.principal import Principal
from paas.security.sessions import token_hash

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

NOT_FOUND = N_("We could not find that session.")
THIS_ONE = N_("This is the session you are using: sign out instead.")
PLACE_LOCAL = N_("this computer")
PLACE_PRIVATE = N_("a private network")
PLACE_PUBLIC = N_("the internet, address %(address)s")
_BROWSERS = (("Edg/", "Edge"), ("MicroMessenger", "WeChat"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))
# Product names, written as they are in either language (the pages' language checks allow them).
DEVICE_NAMES = tuple(name for _marker, name in _BROWSERS + _SYSTEMS)


@dataclass(frozen=True)
class SessionLine:
    id: int
    device: str
    place: str  # message id
    place_params: dict
    address: str | None
    created_at: datetime
    last_seen_at: datetime
    current: bool


def device_name(user_agent: str | None) -> str:
    """"Chrome on Android", from the user agent; the first words of it otherwise."""
    text = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in text), None)
    system = next((name for marker, name in _SYSTEMS if marker in text), None)
    if browser and system:
        return f"{browser} / {system}"
    return browser or system or (re.sub(r"\s+", " ", text)[:40] or "?")


def place_of(address: str | None) -> tuple[str, dict]:
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return PLACE_PUBLIC, {"address": address or "?"}
    if parsed.is_loopback:
        return PLACE_LOCAL, {}
    if parsed.is_private:
        return PLACE_PRIVATE, {}
    return PLACE_PUBLIC, {"address": str(parsed)}


def own_sessions(uow: "UnitOfWork", who: Principal, current_token: str | None) -> list[SessionLine]:
    current = token_hash(current_token) if current_token else None
    rows = uow.session.scalars(select(LoginSession).where(LoginSession.account_id == who.account_id)
                               .order_by(LoginSession.last_seen_at.desc())).all()
    now = uow.clock.now()
    lines = []
    for row in rows:
        if now >= row.expires_at:
            continue
        place, params = place_of(row.address)
        lines.append(SessionLine(row.id, device_name(row.user_agent), place, params, row.address, row.created_at,
                                 row.last_seen_at, row.token_hash == current))
    return lines


def end_session(uow: "UnitOfWork", who: Principal, session_id: int, current_token: str | None) -> None:
    row = uow.session.get(LoginSession, session_id) if 0 < session_id < 2**31 else None
    if row is None or row.account_id != who.account_id:
        raise NotFound(NOT_FOUND)
    if current_token and row.token_hash == token_hash(current_token):
        raise InvalidInput(THIS_ONE)
    uow.session.delete(row)
    chain.record(uow, who.actor, "session.ended", subject=f"account:{who.account_id}", detail={"session": session_id})


def end_other_sessions(uow: "UnitOfWork", who: Principal, current_token: str | None) -> int:
    query = delete(LoginSession).where(LoginSession.account_id == who.account_id)
    if current_token:
        query = query.where(LoginSession.token_hash != token_hash(current_token))
    ended = uow.session.execute(query).rowcount or 0
    chain.record(uow, who.actor, "session.ended_others", subject=f"account:{who.account_id}", detail={"count": ended})
    return ended


def end_all_sessions(uow: "UnitOfWork", account_id: int) -> None:
    """After a password reset or closing: nobody stays signed in with the old password."""
    uow.session.execute(delete(LoginSession).where(LoginSession.account_id == account_id))
