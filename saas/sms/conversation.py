"""What a command handler is given: the unit of work, the message, who sent it (a verified
customer, or nobody) and the language to answer in; and the reads a command needs, which a
batch of messages makes once for all its senders (``Reads``) instead of once a message."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paas.billing.dues import Due, open_dues, open_dues_of
from paas.claims.views import ClaimStatusLine, claim_statuses_of
from paas.i18n import translate
from paas.policies.queries import AssetSheet, asset_sheet, asset_sheets

if TYPE_CHECKING:
    from paas.messaging.inbound import InboundSms
    from paas.security.principal import Principal
    from paas.unit_of_work import UnitOfWork


SHEET = "asset_sheet"
DUES_READ = "open_dues"
CLAIMS_READ = "claims"


@dataclass
class Reads:
    """Read ahead for a batch's senders: customer id -> their asset sheet, their open dues,
    their claims."""

    sheets: dict[int, AssetSheet] = field(default_factory=dict)
    dues: dict[int, list[Due]] = field(default_factory=dict)
    claims: dict[int, list[ClaimStatusLine]] = field(default_factory=dict)

    @classmethod
    def ahead(cls, uow: "UnitOfWork", wanted: dict[str, set[int]]) -> "Reads":
        """``wanted``: for each read (SHEET, DUES_READ, CLAIMS_READ), the customers whose
        commands make it."""
        return cls(asset_sheets(uow, wanted.get(SHEET, set())), open_dues_of(uow, wanted.get(DUES_READ, set())),
                   claim_statuses_of(uow, wanted.get(CLAIMS_READ, set())))


@dataclass
class Conversation:
    uow: "UnitOfWork"
    sms: "InboundSms"
    mobile: str  # the sender's number, E.164 where it is one
    locale: str
    principal: "Principal | None"  # the customer whose verified mobile this is
    read_ahead: Reads | None = None

    @property
    def customer_id(self) -> int:
        assert self.principal is not None and self.principal.customer_id is not None
        return self.principal.customer_id

    def asset_sheet(self) -> AssetSheet:
        """The sender's policies with their values today (one query, or read ahead)."""
        ahead = self.read_ahead.sheets.get(self.customer_id) if self.read_ahead else None
        return ahead if ahead is not None else asset_sheet(self.uow, self.customer_id)

    def open_dues(self) -> list[Due]:
        ahead = self.read_ahead.dues.get(self.customer_id) if self.read_ahead else None
        return ahead if ahead is not None else open_dues(self.uow, self.customer_id)

    def claims(self) -> list[ClaimStatusLine]:
        """The sender's claims, newest first (one query, or read ahead)."""
        ahead = self.read_ahead.claims.get(self.customer_id) if self.read_ahead else None
        return ahead if ahead is not None else claim_statuses_of(self.uow, {self.customer_id})[self.customer_id]

    def t(self, message: str, **params: object) -> str:
        return translate(self.locale, message, **params)
