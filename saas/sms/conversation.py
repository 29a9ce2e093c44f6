"""What a command handler is given: the unit of work, the message, who sent it (a verified
customer, or nobody) and the language to answer in."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from paas.i18n import translate

if TYPE_CHECKING:
    from paas.messaging.inbound import InboundSms
    from paas.security.principal import Principal
    from paas.unit_of_work import UnitOfWork


@dataclass
class Conversation:
    uow: "UnitOfWork"
    sms: "InboundSms"
    mobile: str  # the sender's number, E.164 where it is one
    locale: str
    principal: "Principal | None"  # the customer whose verified mobile this is

    @property
    def customer_id(self) -> int:
        assert self.principal is not None and self.principal.customer_id is not None
        return self.principal.customer_id

    def t(self, message: str, **params: object) -> str:
        return translate(self.locale, message, **params)
