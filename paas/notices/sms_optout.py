"""The one point where notice delivery asks the SMS opt-out list (STOP / 退订, kept by the SMS
channel's work in ``paas.messaging.optout``) whether a text may go. Until that module is merged
nothing is suppressed; once it is, this forwards to it unchanged - a legally required notice
(lapse, claim decision) goes to an opted-out number all the same."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


def suppressed(uow: "UnitOfWork", mobile: str | None, legally_required: bool) -> bool:
    try:
        from paas.messaging.optout import suppressed as opted_out
    except ImportError:  # the opt-out list is not in this build yet
        return False
    return opted_out(uow, mobile, legally_required)
