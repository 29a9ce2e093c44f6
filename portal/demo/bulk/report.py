"""What a bulk load reports: the counts, where the numbers start and how long each phase took,
and progress lines while it runs."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class BulkReport:
    customers: int = 0
    policies: int = 0
    beneficiaries: int = 0
    premiums: int = 0
    first_customer_number: str = ""
    first_policy_number: str = ""
    database: str = ""
    workers: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        rows = self.customers + self.policies + self.beneficiaries + self.premiums
        rate = rows / self.seconds if self.seconds else 0.0
        phases = ", ".join(f"{name} {secs:.1f}s" for name, secs in self.phases.items())
        return (
            f"Bulk data loaded into {self.database}: {self.customers:,} customers, {self.policies:,} policies, "
            f"{self.beneficiaries:,} beneficiaries, {self.premiums:,} premium payments in {self.seconds:.1f} s "
            f"({rate:,.0f} rows/s; {phases}). Customers from {self.first_customer_number}, "
            f"policies from {self.first_policy_number}."
        )

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Times the block as phase ``name`` (only if it completes)."""
        started = time.perf_counter()
        yield
        self.phases[name] = time.perf_counter() - started


class ProgressMeter:
    """Prints "what: done/total (rate/s)" every ``every`` rows and at the end."""

    def __init__(self, progress: Callable[[str], None], what: str, total: int, every: int = 100_000) -> None:
        self.progress, self.what, self.total, self.every = progress, what, total, every
        self.started = time.perf_counter()
        self.done = 0
        self.next_report = every

    def add(self, count: int) -> None:
        self.done += count
        if self.done >= self.next_report or self.done == self.total:
            elapsed = time.perf_counter() - self.started
            rate = self.done / elapsed if elapsed else 0.0
            self.progress(f"  {self.what}: {self.done:,}/{self.total:,} ({rate:,.0f}/s)")
            while self.next_report <= self.done:
                self.next_report += self.every
