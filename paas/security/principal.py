"""Who is acting: the signed-in account as the services see it."""
from __future__ import annotations

from dataclasses import dataclass

from paas.audit.chain import Actor


@dataclass(frozen=True)
class Principal:
    account_id: int
    display_name: str
    locale: str
    customer_id: int | None = None
    role: str | None = None
    authority_level: int = 0

    @property
    def is_staff(self) -> bool:
        return self.role is not None

    @property
    def is_policyholder(self) -> bool:
        return self.customer_id is not None and self.role is None

    @property
    def actor(self) -> Actor:
        return Actor("staff" if self.is_staff else "customer", self.account_id, self.display_name)
