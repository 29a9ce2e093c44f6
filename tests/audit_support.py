"""What an intruder with write access to the database does to the audit log, for the tests
that prove ``verify`` finds it."""
from __future__ import annotations

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from paas.audit import chain
from paas.audit.models import AuditEntry, AuditHead


def without_guards(session: Session) -> None:
    """Lift the append-only triggers inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        session.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))


def plain_sha(entry: AuditEntry, prev_hash: str) -> str:
    return chain.legacy_hash(entry, prev_hash)


def with_key(keyring):
    return lambda entry, prev_hash: chain.entry_hash(keyring, entry, prev_hash)


def rewrite(session: Session, seq: int, *, relink, **changes) -> None:
    """Change entry ``seq``, recompute every later link with ``relink(entry, prev_hash)`` and
    move the head to the new end: a rewrite that plain SHA-256 links could not reveal."""
    without_guards(session)
    if changes:
        session.execute(update(AuditEntry).where(AuditEntry.seq == seq).values(**changes))
    session.expire_all()
    entries = session.scalars(select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq)).all()
    prev = session.get(AuditEntry, seq - 1).hash if seq > 1 else chain.GENESIS_HASH
    for entry in entries:
        entry.prev_hash = prev
        entry.hash = prev = relink(entry, prev)
    session.flush()
    session.execute(update(AuditHead).values(seq=entries[-1].seq, hash=prev))
    session.expire_all()
