"""Step 11 - a signed checkpoint of the audit chain (``paas.audit.checkpoints``), last: it
covers the whole night's entries but the step's own (the next night's checkpoint covers those).

Rule: the entries since the latest checkpoint verify (keyed links, no gap); then the head -
seq, hash, time, key ids - is signed and stored as a new object, never replacing one. Not per
policy: once a night, in partition 1, and only where an object store is configured. A chain
that does not verify is not signed: the step fails with the broken entry, to be looked into
(``portal audit verify``). Done ``again`` it adds one more checkpoint, which changes nothing."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from paas.audit import checkpoints

if TYPE_CHECKING:
    from paas.platform import Platform

NAME = "audit_checkpoint"


def applies(platform: "Platform") -> bool:
    return platform.objects is not None


def run(platform: "Platform", on: date) -> int:
    """Take the checkpoint; returns 1 (checkpoints written)."""
    assert platform.objects is not None
    with platform.unit_of_work() as uow:
        checkpoints.take(uow.session, platform.keyring, platform.objects, uow.clock.now())
    return 1
