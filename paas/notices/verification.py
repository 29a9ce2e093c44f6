"""The public check of a notice (``/verify``, no sign-in): a code typed from the letter or read
from its QR answers genuine or not, and if genuine only the type, the date of issue and the
masked recipient - nothing a stranger holding a code could misuse. A notice whose stored data
no longer matches its signature (edited after signing) is not genuine."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.notices.document import normalised_code
from paas.notices.letters import genuine, signed
from paas.notices.models import Notice

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

UNKNOWN, NOT_GENUINE, GENUINE = "unknown", "not_genuine", "genuine"


@dataclass(frozen=True)
class Verdict:
    outcome: str
    code: str
    notice_type: str | None = None
    issued_on: date | None = None
    recipient: str | None = None  # masked
    language: str | None = None  # the notice's: the name is written as on the letter

    @property
    def genuine(self) -> bool:
        return self.outcome == GENUINE


def verify_code(uow: "UnitOfWork", typed: str) -> Verdict:
    code = normalised_code(typed)[:24]
    notice = uow.session.scalar(select(Notice).where(Notice.code == code)) if code else None
    if notice is None:
        return Verdict(UNKNOWN, code)
    if not genuine(uow, notice):
        return Verdict(NOT_GENUINE, code)
    data = signed(notice).data
    return Verdict(GENUINE, code, data["type"], date.fromisoformat(data["issued_on"]), data["recipient_masked"],
                   data["language"])
