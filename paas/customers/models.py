from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from paas.persistence import Base


class Customer(Base):
    """A person known to the insurer. ID numbers are stored encrypted, with a keyed hash
    (``id_number_index``) so staff can find a customer by the exact number."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_number: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str] = mapped_column(String(1))  # "M" / "F"
    birth_date: Mapped[date]
    id_type: Mapped[str] = mapped_column(String(16), default="resident_id")
    id_number_cipher: Mapped[str] = mapped_column(String(200))
    id_number_index: Mapped[str] = mapped_column(String(64), index=True)
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164
    email: Mapped[str | None] = mapped_column(String(254), index=True)  # lower-cased
    address: Mapped[str | None] = mapped_column(String(300))  # for display: the parts below, joined
    address_province: Mapped[str | None] = mapped_column(String(40))
    address_city: Mapped[str | None] = mapped_column(String(40))
    address_district: Mapped[str | None] = mapped_column(String(40))
    address_street: Mapped[str | None] = mapped_column(String(200))
    address_postcode: Mapped[str | None] = mapped_column(String(6))
    # How notices reach the customer: electronic by default, paper only when asked for.
    notice_by_email: Mapped[bool] = mapped_column(default=True, server_default=true())
    notice_by_sms: Mapped[bool] = mapped_column(default=True, server_default=true())
    notice_on_paper: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set while the customer has frozen online money movements (paas.security.freeze).
    money_frozen_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    bank_accounts: Mapped[list["BankAccount"]] = relationship(
        back_populates="customer", order_by="BankAccount.id", cascade="all, delete-orphan"
    )


class BankAccount(Base):
    __tablename__ = "bank_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    bank_name: Mapped[str] = mapped_column(String(100))
    holder_name: Mapped[str] = mapped_column(String(100))
    account_cipher: Mapped[str] = mapped_column(String(200))
    account_index: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]  # when it was added: a payout to an account added lately is held
    # When the account was proven the customer's (at the counter, by the bank-card check): a
    # verified account is paid at once. Accounts from before the hold existed count as verified.
    verified_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship(back_populates="bank_accounts")
