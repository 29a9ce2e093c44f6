"""Every servicing transaction type, by kind, in the order the services page lists them."""
from __future__ import annotations

from functools import cache

from paas.errors import N_, InvalidInput
from paas.servicing.base import Transaction

UNKNOWN_SERVICE = N_("There is no service %(kind)s.")


@cache
def all_transactions() -> tuple[Transaction, ...]:
    from paas.servicing.kinds import ALL

    return ALL


def transaction(kind: str) -> Transaction:
    for txn in all_transactions():
        if txn.kind == kind:
            return txn
    raise InvalidInput(UNKNOWN_SERVICE, field="kind", kind=(kind or "")[:32])
