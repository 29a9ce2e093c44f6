"""Signed checkpoints of the audit chain's head: the anchor that a rewrite cannot get past.

A keyed link stops anyone without the MAC key; a checkpoint also stops whoever has it, or
who cuts off the tail and moves the head back. Each one records the head (seq, hash), when it
was taken, the MAC key of the head's link, and where the unkeyed legacy entries end, signed
with the key ring's Ed25519 key (its id is in the record; the public keys can be exported
and checked by anyone). Each is written as a new object and never replaced - the S3 adapter
keeps them under Object Lock - so the history of checkpoints is itself append-only.

``portal audit checkpoint`` and the nightly cycle's last step take one; ``verify`` holds the
whole chain to every checkpoint and reports a forged or unreadable one."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from paas.audit import chain
from paas.audit.models import AuditEntry

if TYPE_CHECKING:
    from iaas.keyring import KeyRing
    from iaas.objects import ObjectStore

PURPOSE = "audit.checkpoint"
PREFIX = "audit/checkpoints/"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    taken_at: str  # ISO 8601, UTC
    mac_key_id: str | None  # the key of the head entry's link (None: no entry, or a legacy one)
    legacy_until: int  # entries up to here may be unkeyed; none after
    signing_key_id: str = ""
    signature: str = ""

    def signed_bytes(self) -> bytes:
        fields = {name: value for name, value in asdict(self).items() if name != "signature"}
        return chain.canonical_json(fields).encode("utf-8")

    @property
    def object_key(self) -> str:
        # Sorted by seq, then time; the key id keeps two rings' checkpoints of one instant apart.
        stamp = self.taken_at.replace("-", "").replace(":", "").replace("+0000", "Z")
        return f"{PREFIX}{self.seq:012d}-{stamp}-{self.signing_key_id}.json"

    @property
    def anchor(self) -> chain.Anchor:
        return chain.Anchor(self.seq, self.hash, self.legacy_until, f"of {self.taken_at} (entry {self.seq})")


@dataclass
class CheckpointLog:
    checkpoints: list[Checkpoint] = field(default_factory=list)  # signatures verified, by seq
    problems: list[tuple[int, str]] = field(default_factory=list)  # (seq it claims, why)

    @property
    def latest(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


class CheckpointRefused(RuntimeError):
    """The chain does not verify: signing its head would vouch for a rewrite."""


def load(objects: "ObjectStore", keyring: "KeyRing") -> CheckpointLog:
    """Every stored checkpoint, each signature checked; forged or unreadable ones are problems."""
    log = CheckpointLog()
    for key in objects.list(PREFIX):
        try:
            data = json.loads(objects.get(key))
            checkpoint = Checkpoint(**data)
            seq = int(checkpoint.seq)
        except (ValueError, TypeError) as exc:
            log.problems.append((0, f"checkpoint {key} is unreadable ({type(exc).__name__})"))
            continue
        if not checkpoint.signature:
            log.problems.append((seq, f"checkpoint {key} has no signature"))
        elif checkpoint.signing_key_id not in keyring.public_keys():
            log.problems.append((seq, f"checkpoint {key} is signed by key {checkpoint.signing_key_id!r}, "
                                      "which is not in the key ring"))
        elif not keyring.verify(checkpoint.signing_key_id, checkpoint.signed_bytes(), checkpoint.signature,
                                purpose=PURPOSE):
            log.problems.append((seq, f"checkpoint {key}: its signature does not verify (forged or altered)"))
        else:
            log.checkpoints.append(checkpoint)
    log.checkpoints.sort(key=lambda c: (c.seq, c.taken_at))
    hashes: dict[int, str] = {}
    for checkpoint in log.checkpoints:
        if hashes.setdefault(checkpoint.seq, checkpoint.hash) != checkpoint.hash:
            log.problems.append((checkpoint.seq, f"two signed checkpoints disagree about entry {checkpoint.seq}"))
    return log


def verify(session: Session, keyring: "KeyRing", objects: "ObjectStore | None") -> chain.ChainReport:
    """The whole chain: keyed links, and every signed checkpoint (none without an object store)."""
    log = load(objects, keyring) if objects is not None else CheckpointLog()
    if log.problems:
        seq, reason = log.problems[0]
        return chain.ChainReport(0, seq, reason)
    return chain.verify(session, keyring, anchors=[c.anchor for c in log.checkpoints])


def take(session: Session, keyring: "KeyRing", objects: "ObjectStore", now: datetime) -> Checkpoint:
    """Check the entries since the latest checkpoint, then sign and store the head. A broken
    chain or checkpoint raises ``CheckpointRefused`` with the report's words."""
    log = load(objects, keyring)
    if log.problems:
        raise CheckpointRefused(log.problems[0][1])
    latest = log.latest
    report = chain.verify(session, keyring, start=latest.anchor if latest else None)
    if not report.intact:
        raise CheckpointRefused(f"entry {report.first_broken_seq}: {report.reason}")
    assert report.head_seq is not None and report.head_hash is not None
    head_entry = session.get(AuditEntry, report.head_seq) if report.head_seq else None
    checkpoint = Checkpoint(
        seq=report.head_seq,
        hash=report.head_hash,
        taken_at=now.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        mac_key_id=head_entry.key_id if head_entry is not None else None,
        legacy_until=latest.legacy_until if latest else _legacy_until(session, report.head_seq),
        signing_key_id=keyring.active_key_id,  # signed too: the record cannot be passed off as another key's
    )
    key_id, signature = keyring.sign(checkpoint.signed_bytes(), purpose=PURPOSE)
    if key_id != checkpoint.signing_key_id:
        raise RuntimeError("the key ring signed with another key than its active one")
    checkpoint = replace(checkpoint, signature=signature)
    body = json.dumps(asdict(checkpoint), indent=2, sort_keys=True).encode("utf-8")
    objects.create(checkpoint.object_key, body, content_type="application/json")
    return checkpoint


def _legacy_until(session: Session, head_seq: int) -> int:
    """The last unkeyed entry before the first keyed one (the chain was verified just now)."""
    first_keyed = session.scalar(select(func.min(AuditEntry.seq)).where(AuditEntry.key_id.is_not(None)))
    return head_seq if first_keyed is None else first_keyed - 1
