"""The events and ledger entries a batch's per-policy work produces, written together at the
end of the batch: one multi-row INSERT per table, in the batch's transaction, a row already
there skipped (an event is unique per policy, kind and date; a ledger entry by reference).
Raising them one by one would cost a look-up and an insert each - most of the per-policy
time - and would be no more idempotent."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from paas.insert_once import insert_ignoring_duplicates
from paas.money import to_fen
from paas.notices.bulk import event_row, insert_events
from paas.policies.models import PolicyLedgerEntry

CHUNK = 500  # rows per statement (SQLite allows 32,766 parameters)


@dataclass
class Pending:
    events: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)

    def event(self, policy_id: int, kind: str, on: date, detail: dict) -> None:
        """Like ``raise_event``: once per (policy, kind, date), the data checked against the kind."""
        self.events.append(event_row(policy_id, kind, on, detail))

    def entry(self, policy_id: int, account: str, kind: str, amount: Decimal, on: date, reference: str) -> None:
        """Like ``paas.policies.ledger.credit``: once per reference, the amount rounded to the fen."""
        self.entries.append({"policy_id": policy_id, "account": account, "kind": kind, "entry_date": on,
                             "amount": to_fen(amount), "reference": reference})

    def mark(self) -> tuple[int, int]:
        return len(self.events), len(self.entries)

    def reset(self, mark: tuple[int, int]) -> None:
        """Forget what was added since ``mark`` (a policy's work that was rolled back)."""
        del self.events[mark[0]:], self.entries[mark[1]:]

    @property
    def empty(self) -> bool:
        return not self.events and not self.entries

    def write(self, session: Session, now: datetime) -> set[int]:
        """Insert what is pending; returns the policies that got a new event."""
        dialect = session.get_bind().dialect.name
        for start in range(0, len(self.entries), CHUNK):
            rows = [{**row, "created_at": now} for row in self.entries[start:start + CHUNK]]
            session.execute(insert_ignoring_duplicates(dialect, PolicyLedgerEntry).values(rows).on_conflict_do_nothing())
        told = insert_events(session, self.events, now)
        self.events, self.entries = [], []
        return told
