"""How many SMS one number may send us: counted in the message's own transaction, in the
portal's database (``iaas.ratelimit.reserve_on``), so recording the message, counting it and
answering it are one commit, and concurrent messages from a number still cannot exceed it."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from iaas.ratelimit import reserve_many_on, reserve_on, reset_on

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

# Per number: enough for a conversation (a query, a withdrawal and its code, a retry), not
# for a script running up our SMS bill or guessing codes across requests.
LIMIT = "20 per 10 minutes"
PREFIX = "sms-in"  # what the counters of this limit are keyed by, with the number


def count_message(uow: "UnitOfWork", mobile: str) -> bool:
    """Count one message from ``mobile``; False when it is over the limit (then not counted)."""
    return reserve_on(uow.session.connection(), LIMIT, PREFIX, mobile) is not None


def count_messages(uow: "UnitOfWork", per_mobile: Mapping[str, int]) -> dict[str, int]:
    """``count_message`` for a batch: ``per_mobile[number]`` messages each, counted in one
    statement; number -> how many of its messages (the first ones) are within the limit."""
    return reserve_many_on(uow.session.connection(), LIMIT, PREFIX, per_mobile)


def reset(uow: "UnitOfWork", mobile: str) -> None:
    """Start ``mobile``'s count again (a colleague, or a test, after a flood)."""
    reset_on(uow.session.connection(), LIMIT, PREFIX, mobile)
