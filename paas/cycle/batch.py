"""What a step sees of one batch: the unit of work (one transaction), the run date, the range
of policy ids and the partition it covers, the options of the run and the product groups -
and how the per-policy work of a batch is run, straight through or policy by policy."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from paas.cycle.pending import Pending
from paas.policies.models import Policy
from paas.products import catalogue
from paas.products.models import Product

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Partition:
    """Part ``number`` of ``count``: the policies whose id % count == number - 1 - or, when
    ``ranged`` (a shared night, ``paas.cycle.shared``), the ids after ``low`` up to ``high``
    (None: no end), so each part reads only its own rows."""

    number: int = 1
    count: int = 1
    ranged: bool = False
    low: int = 0
    high: int | None = None

    @classmethod
    def parse(cls, text: str) -> "Partition":
        number, _, count = text.partition("/")
        partition = cls(int(number), int(count))
        if not 1 <= partition.number <= partition.count:
            raise ValueError(f"partition {text!r}: expected K/N with 1 <= K <= N")
        return partition

    @property
    def label(self) -> str:
        return f"{self.number}/{self.count}" + ("r" if self.ranged else "")


@dataclass(frozen=True)
class CycleOptions:
    notice_days: int = 30  # premium-due notices this many days ahead
    warning_days: int = 15  # grace warnings this many days before the lapse date
    batch_size: int = 50_000  # policy ids per batch (times the partition count)


@dataclass(frozen=True)
class ProductGroups:
    """Product ids by what their anniversaries and maturities involve."""

    participating: tuple[int, ...]  # dividends
    endowment: tuple[int, ...]  # survival and maturity benefits

    @classmethod
    def load(cls, session: Session) -> "ProductGroups":
        participating, endowment = [], []
        for product_id, code, version in session.execute(select(Product.id, Product.code, Product.version)):
            spec = catalogue.catalogue().get((code, version))
            if spec is not None and spec.dividends is not None:
                participating.append(product_id)
            if spec is not None and spec.survival_benefits is not None:
                endowment.append(product_id)
        return cls(tuple(participating), tuple(endowment))


@dataclass
class Batch:
    uow: "UnitOfWork"
    run_date: date
    low: int  # ids after this one ...
    high: int  # ... up to and including this one
    partition: Partition
    options: CycleOptions
    products: ProductGroups
    pending: Pending = field(default_factory=Pending)  # the per-policy work's events and entries
    careful: bool = False  # each policy's work in a savepoint (the batch failed straight through)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (policy id, error), when careful

    @property
    def session(self) -> Session:
        return self.uow.session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    @property
    def now(self) -> datetime:
        return self.uow.clock.now()

    def each_policy(self, rows: Iterable[tuple], work: Callable[..., None]) -> None:
        """``work(*row)`` for each row (a policy first). Straight through normally; when careful,
        a policy whose work fails is rolled back to its savepoint, recorded and skipped, so
        one bad policy cannot hold up the night (the runner audits it)."""
        for row in rows:
            if not self.careful:
                work(*row)
                continue
            mark, audit_mark = self.pending.mark(), self.uow.audit_mark()
            try:
                with self.session.begin_nested():
                    work(*row)
            except Exception as exc:  # whatever went wrong with this one policy
                self.pending.reset(mark)
                self.uow.audit_reset(audit_mark)
                self.failed.append((row[0].id, f"{type(exc).__name__}: {exc}"[:300]))

    def write_pending(self) -> int:
        """Write the per-policy work's events and entries; returns the policies told something new."""
        return len(self.pending.write(self.session, self.now))

    def policies(self) -> list[ColumnElement[bool]]:
        """The batch's policies, as WHERE conditions on the policies table."""
        where = [Policy.id > self.low, Policy.id <= self.high]
        if self.partition.count > 1 and not self.partition.ranged:
            where.append(Policy.id % self.partition.count == self.partition.number - 1)
        return where
