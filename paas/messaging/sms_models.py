"""The SMS channel's own records: who asked to hear nothing more (STOP/TD/退订), and every
message a sender sent us with the reply it got (so a provider's redelivery is answered once)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class SmsOptOut(Base):
    """One row per number that ever opted out; ``opted_in_at`` is set again by START, so the
    list keeps when and how each number left and came back."""

    __tablename__ = "sms_opt_outs"

    mobile: Mapped[str] = mapped_column(String(20), primary_key=True)  # E.164
    opted_out_at: Mapped[datetime]
    opted_in_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(16))  # sms (the sender's STOP) or console (a colleague)


class InboundSms(Base):
    """``inbound_id`` is the provider's ``inboundMessageId`` (ours for the console and the CLI):
    unique, so a message delivered twice is handled once. A code in the text is masked before
    it is kept: staff read this table in the simulator."""

    __tablename__ = "sms_inbound"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbound_id: Mapped[str] = mapped_column(String(100), unique=True)
    source: Mapped[str] = mapped_column(String(8))  # sns / sqs / console / cli
    sender: Mapped[str] = mapped_column(String(32), index=True)
    recipient: Mapped[str | None] = mapped_column(String(32))  # our long code / short code
    body: Mapped[str] = mapped_column(Text)
    command: Mapped[str] = mapped_column(String(16))  # which command it was taken for
    customer_id: Mapped[int | None] = mapped_column(index=True)
    reply: Mapped[str | None] = mapped_column(Text)  # None: not answered (over the rate limit)
    reply_locale: Mapped[str] = mapped_column(String(8))
    received_at: Mapped[datetime]
