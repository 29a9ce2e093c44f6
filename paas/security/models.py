from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class Account(Base):
    """A login. A policyholder's account points at their customer record; a staff account
    has a role and must use a TOTP second factor."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # lower-cased
    mobile: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(100))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), unique=True)
    role: Mapped[str | None] = mapped_column(String(16))  # staff only: see paas.security.roles
    authority_level: Mapped[int] = mapped_column(default=0)
    totp_secret_cipher: Mapped[str | None] = mapped_column(String(200))
    totp_last_step: Mapped[int | None]  # the last time step accepted, so a code works once
    locale: Mapped[str] = mapped_column(String(8), default="zh")
    is_active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]
    # The tier (paas.security.tiers): what proved the person, and when. "counter" for an
    # account opened by staff who saw the ID and card; "enrolment" / "four_elements" online.
    identity_verified_at: Mapped[datetime | None]
    identity_verified_by: Mapped[str | None] = mapped_column(String(16))
    card_verified_at: Mapped[datetime | None]
    card_verified_by: Mapped[str | None] = mapped_column(String(16))
    # An e-mail typed at enrolment waits here until its link is followed (then it is ``email``).
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # Policyholders' authenticator: on when totp_secret_cipher is set; keyed hashes of the
    # unused recovery codes, space-separated.
    recovery_codes: Mapped[str | None] = mapped_column(String(1000))


class LoginSession(Base):
    """A signed-in browser. The cookie holds a random token; only its hash is stored, so a
    copy of the database does not let anyone in. Deleted at logout."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class OneTimeCode(Base):
    """A code or link sent for one purpose (enrolment, sign-in, reset, e-mail confirmation...),
    to one recipient: only its keyed hash is kept; it works once, within its lifetime, for a
    few tries. ``handle`` names the pending step to the browser without naming the person."""

    __tablename__ = "one_time_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(24))
    digest: Mapped[str] = mapped_column(String(64))
    sent_to: Mapped[str] = mapped_column(String(254))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class KnownDevice(Base):
    """A browser (by a keyed hash of its user agent) an account signed in from before: a sign-in
    from one not listed is told to the customer."""

    __tablename__ = "known_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    device_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime]
