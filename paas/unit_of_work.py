"""Unit of work: one database transaction, rolled back unless its owner commits.

The owner is the request, the console action, the CLI command or the batch step. Work that
must only happen once the data is durable (sending mail and SMS) is registered with
``after_commit`` and runs after a successful commit, never before."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from iaas.clock import Clock
    from paas.audit.models import AuditEntry
    from iaas.keyring import KeyRing
    from paas.platform import Platform

log = logging.getLogger(__name__)


class UnitOfWork:
    """``read_only`` units (pages that only show data) run without a transaction on
    PostgreSQL: each statement stands alone, saving the BEGIN and COMMIT round trips.
    Anything that must be atomic (the audit chain, the outbox) refuses to run in one."""

    session: Session

    def __init__(self, platform: "Platform", *, read_only: bool = False) -> None:
        self.platform = platform
        self.read_only = read_only
        self._after_commit: list[Callable[[], None]] = []
        self.pending_audit: list[AuditEntry] = []  # chained at commit (paas.audit.chain.record)
        self._autocommit = False

    def __enter__(self) -> "UnitOfWork":
        factory = self.platform.read_only_session_factory if self.read_only else self.platform.session_factory
        self.session = (factory or self.platform.session_factory)()
        # A read-only unit on PostgreSQL runs in autocommit (SQLite's keeps a transaction, whose
        # writes - a session's last-seen time - its commit must still end).
        bind = self.session.get_bind()
        self._autocommit = self.read_only and bind.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
        return self

    def require_transaction(self, what: str) -> None:
        if self.read_only:
            raise RuntimeError(f"{what} needs a transaction; this unit of work is read-only")

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.rollback()
        finally:
            self.session.close()

    @property
    def clock(self) -> "Clock":
        return self.platform.clock

    @property
    def keyring(self) -> "KeyRing":
        return self.platform.keyring

    def after_commit(self, action: Callable[[], None]) -> None:
        if action not in self._after_commit:
            self._after_commit.append(action)

    def audit_mark(self) -> int:
        return len(self.pending_audit)

    def audit_reset(self, mark: int) -> None:
        """Forget the entries recorded since ``mark`` (their savepoint was rolled back)."""
        del self.pending_audit[mark:]

    def commit(self) -> None:
        if self._autocommit and not self._after_commit and not self._has_changes():
            return  # each statement of this unit committed on its own: nothing to end
        if self.pending_audit:
            from paas.audit.chain import append_pending

            self.session.flush()  # the rest first: the audit head stays locked only until the commit
            append_pending(self.session, self.pending_audit, self.keyring)
            self.pending_audit = []
        self.session.commit()
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            try:
                action()
            except Exception:  # the data is committed; a failed side effect is retried later
                log.exception("after-commit action %r failed; it will be retried", action)

    def _has_changes(self) -> bool:
        return bool(self.session.new or self.session.dirty or self.session.deleted)

    def rollback(self) -> None:
        self._after_commit.clear()
        self.pending_audit.clear()
        self.session.rollback()
