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
