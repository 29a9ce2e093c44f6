"""Appending to and verifying the hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so changing, removing
or reordering any entry breaks every link after it; the head row catches a cut-off tail."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from paas.audit.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

GENESIS_HASH = "0" * 64
HEAD_ID = 1


@dataclass(frozen=True)
class Actor:
    type: str  # customer / staff / system
    id: int | None
    label: str


SYSTEM = Actor("system", None, "system")


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    fields = [
        entry.seq,
        entry.occurred_at.isoformat(),
        entry.actor_type,
        entry.actor_id,
        entry.actor_label,
        entry.action,
        entry.subject,
        entry.detail,
        entry.address,
        prev_hash,
    ]
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


def record(
    uow: "UnitOfWork",
    actor: Actor,
    action: str,
    *,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
    address: str | None = None,
) -> AuditEntry:
    """Add one entry to the caller's transaction. It is chained when the transaction commits
    (``append_pending``), so the head row - one lock that orders every writer - is held only
    for the last moment of a transaction, not for all of it."""
    uow.require_transaction("the audit log")
    entry = AuditEntry(
        occurred_at=uow.clock.now(),
        actor_type=actor.type,
        actor_id=actor.id,
        actor_label=actor.label[:120],
        action=action,
        subject=subject,
        detail=canonical_json(detail or {}),
        address=address,
    )
    uow.pending_audit.append(entry)
    return entry


def append_pending(session: Session, entries: list[AuditEntry]) -> None:
    """Chain and insert the transaction's entries, after its other changes are flushed: taking
    the head row's lock orders concurrent writers, and it is released by the commit right after."""
    if not entries:
        return
    last_seq, prev_hash = session.execute(
        update(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .values(seq=AuditHead.seq + len(entries))
        .returning(AuditHead.seq, AuditHead.hash)
    ).one()
    for seq, entry in enumerate(entries, start=last_seq - len(entries) + 1):
        entry.seq, entry.prev_hash = seq, prev_hash
        entry.hash = prev_hash = entry_hash(entry, prev_hash)
    session.add_all(entries)
    session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(hash=prev_hash))


@dataclass(frozen=True)
class ChainReport:
    entries_checked: int
    first_broken_seq: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


def verify(session: Session, *, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order and report the first entry that does not link up."""
    running_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    rows = session.execute(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch_size)
    ).scalars()
    try:
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(checked, expected_seq, f"entry {expected_seq} is missing")
            if entry.prev_hash != running_hash:
                return ChainReport(checked, entry.seq, "does not link to the entry before it")
            if entry_hash(entry, entry.prev_hash) != entry.hash:
                return ChainReport(checked, entry.seq, "its content was changed after it was written")
            running_hash = entry.hash
            expected_seq += 1
            checked += 1
    finally:
        rows.close()  # a server-side cursor on PostgreSQL: release it even when stopping early
    head = session.get(AuditHead, HEAD_ID)
    if head is None:
        return ChainReport(checked, expected_seq, "the chain head is missing")
    if head.seq != checked or head.hash != running_hash:
        return ChainReport(checked, checked + 1, f"entries after {checked} were removed (head says {head.seq})")
    return ChainReport(checked)
