"""Where a day's cycle stands: the CycleRun rows (one per date, step and partition), opened
before a step's first batch and read by ``portal cycle status``; and what a run reports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from paas.cycle.batch import Partition
from paas.cycle.models import CycleRun
from paas.insert_once import insert_ignoring_duplicates
from paas.platform import Platform


@dataclass(frozen=True)
class Progress:
    """After each committed batch."""

    step: str
    batch: int
    batches: int
    touched: int  # policies changed or told something so far in this step
    seconds: float
    last_key: int  # the batches so far cover the policy ids up to this one
    scanned: int  # ids covered by this run of the step so far
    failed: int = 0  # policies skipped because their work failed (audited)

    @property
    def rate(self) -> float:
        """Policy ids covered a second."""
        return self.scanned / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class StepReport:
    step: str
    status: str  # done / skipped (finished before) / not run (not this partition's)
    batches: int
    touched: int
    seconds: float
    failed: int = 0


def open_run(platform: Platform, run_date: date, step: str, partition: Partition, again: bool) -> tuple[int, bool]:
    """Create the step's progress row if it is new; returns (last committed key, finished).
    ``again`` starts a finished step over (its effects are guarded: nothing happens twice).
    A ranged partition starts after its ``low`` id."""
    with platform.unit_of_work() as uow:
        session = uow.session
        session.execute(
            insert_ignoring_duplicates(session.get_bind().dialect.name, CycleRun)
            .values(run_date=run_date, step=step, partition=partition.label, status="running", last_key=partition.low,
                    processed=0, started_at=uow.clock.now())
            .on_conflict_do_nothing()
        )
        run = session.execute(
            select(CycleRun).where(CycleRun.run_date == run_date, CycleRun.step == step,
                                   CycleRun.partition == partition.label).with_for_update()
        ).scalar_one()
        if run.status == "done" and again:
            run.status, run.last_key, run.processed, run.finished_at = "running", partition.low, 0, None
            run.started_at = uow.clock.now()
        key, done = run.last_key, run.status == "done"
        uow.commit()
    return key, done


def cycle_status(platform: Platform, run_date: date) -> list:
    """The day's progress rows (partition, step, status, last_key, processed, finished_at)."""
    with platform.unit_of_work(read_only=True) as uow:
        return uow.session.execute(
            select(CycleRun.partition, CycleRun.step, CycleRun.status, CycleRun.last_key, CycleRun.processed,
                   CycleRun.finished_at)
            .where(CycleRun.run_date == run_date).order_by(CycleRun.partition, CycleRun.started_at)
        ).all()
