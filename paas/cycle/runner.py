"""Running a day's cycle: each step over the policies in batches of ids, each batch one
transaction that also moves the step's ``CycleRun.last_key`` on. A run killed at any point
resumes after the last committed batch and never does a batch twice; a step finished for
(date, step, partition) is skipped by a rerun, and done ``again`` it changes nothing, since
every step's effects are guarded. One audit entry per step and run, written with its last batch."""
from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select

from iaas.clock import BusinessDayClock
from paas.audit import chain
from paas.cycle.batch import Batch, CycleOptions, Partition, ProductGroups
from paas.cycle.models import CycleRun
from paas.cycle.plan import STEP_NAMES, STEPS, Step
from paas.cycle.progress import Progress, StepReport, open_run
from paas.platform import Platform
from paas.policies.models import Policy


log = logging.getLogger(__name__)


class CycleConflict(RuntimeError):
    """Another process moved this step on: the same partition is being run twice."""


@dataclass(frozen=True)
class _Job:
    platform: Platform
    run_date: date
    partition: Partition
    options: CycleOptions
    products: ProductGroups
    progress: Callable[[Progress], None]


WHOLE_BOOK = Partition()
DEFAULTS = CycleOptions()


def run_cycle(platform: Platform, run_date: date, *, partition: Partition = WHOLE_BOOK,
              steps: Iterable[str] | None = None, options: CycleOptions = DEFAULTS, again: bool = False,
              progress: Callable[[Progress], None] = lambda _p: None) -> list[StepReport]:
    """Run the steps of ``run_date`` (all, in order, by default) for one partition."""
    names = list(steps) if steps is not None else list(STEP_NAMES)
    unknown = set(names) - set(STEP_NAMES)
    if unknown:
        raise ValueError(f"unknown cycle steps: {', '.join(sorted(unknown))}")
    # Services date what they do by the clock: the run's date, at the true time of day.
    dated = replace(platform, clock=BusinessDayClock(platform.clock, run_date))
    with dated.unit_of_work() as uow:
        products = ProductGroups.load(uow.session)
    job = _Job(dated, run_date, partition, options, products, progress)
    reports = []
    for step in (s for s in STEPS if s.name in names):
        reports.append(_run_step(job, step, again) if step.per_policy else _once_a_night(job, step, again))
    return reports


def _run_step(job: _Job, step: Step, again: bool) -> StepReport:
    started = time.perf_counter()
    key, done = open_run(job.platform, job.run_date, step.name, job.partition, again)
    if done:
        return StepReport(step.name, "skipped", 0, 0, 0.0)
    with job.platform.unit_of_work(read_only=True) as uow:
        highest = uow.session.scalar(select(func.coalesce(func.max(Policy.id), 0)))
    part = job.partition
    if part.ranged and part.high is not None:  # its own ids only (open_run started it at part.low)
        highest = min(highest, part.high)
    span = job.options.batch_size * (1 if part.ranged else part.count)
    batches = max(1, math.ceil((highest - key) / span))
    touched, failed, first_key = 0, 0, key
    for number in range(1, batches + 1):
        high = max(key, min(key + span, highest))
        try:
            count, skipped = _run_batch(job, step, key, high, number == batches, careful=False)
        except CycleConflict:
            raise
        except Exception:
            log.exception("cycle %s %s: the batch of ids %s-%s failed; running it again policy by policy",
                          job.run_date, step.name, key + 1, high)
            count, skipped = _run_batch(job, step, key, high, number == batches, careful=True)
        key, touched, failed = high, touched + count, failed + skipped
        job.progress(Progress(step.name, number, batches, touched, time.perf_counter() - started, high,
                              high - first_key, failed))
    return StepReport(step.name, "done", batches, touched, time.perf_counter() - started, failed)


def _run_batch(job: _Job, step: Step, low: int, high: int, last: bool, *, careful: bool) -> tuple[int, int]:
    """One batch in one transaction, with the step's progress; returns (touched, failed)."""
    with job.platform.unit_of_work() as uow:
        run = _claim(uow, job, step.name, low)
        batch = Batch(uow, job.run_date, low, high, job.partition, job.options, job.products, careful=careful)
        count = step.run(batch) if high > low else 0
        if not batch.pending.empty:
            raise RuntimeError(f"{step.name} left events or ledger entries unwritten")
        for policy_id, error in batch.failed:  # each one on the record, to be put right and rerun
            chain.record(uow, chain.SYSTEM, "cycle.policy_failed", subject=f"policy:{policy_id}",
                         detail={"date": job.run_date.isoformat(), "step": step.name, "error": error})
        run.last_key, run.processed = high, run.processed + count
        if last:
            _finish(uow, run, job)
        uow.commit()
    return count, len(batch.failed)


def _claim(uow, job: _Job, step: str, key: int) -> CycleRun:
    """The step's progress row, locked; it must still be where this process left it."""
    run = uow.session.execute(
        select(CycleRun).where(CycleRun.run_date == job.run_date, CycleRun.step == step,
                               CycleRun.partition == job.partition.label).with_for_update()
    ).scalar_one()
    if run.last_key != key or run.status == "done":
        raise CycleConflict(f"{step} {job.run_date} {job.partition.label} was moved on by another process")
    return run


def _finish(uow, run: CycleRun, job: _Job) -> None:
    run.status, run.finished_at = "done", uow.clock.now()
    chain.record(uow, chain.SYSTEM, "cycle.step", subject=f"cycle:{job.run_date.isoformat()}:{run.step}",
                 detail={"partition": run.partition, "last_key": run.last_key, "processed": run.processed})


def _once_a_night(job: _Job, step: Step, again: bool) -> StepReport:
    """A task not per policy: by partition 1 alone, in its own transactions."""
    started = time.perf_counter()
    if job.partition.number != 1 or not step.applies(job.platform):
        return StepReport(step.name, "not run", 0, 0, 0.0)
    _key, done = open_run(job.platform, job.run_date, step.name, job.partition, again)
    if done:
        return StepReport(step.name, "skipped", 0, 0, 0.0)
    count = step.run(job.platform, job.run_date)
    with job.platform.unit_of_work() as uow:
        run = _claim(uow, job, step.name, 0)
        run.processed = count
        _finish(uow, run, job)
        uow.commit()
    job.progress(Progress(step.name, 1, 1, count, time.perf_counter() - started, 0, 0, 0))
    return StepReport(step.name, "done", 1, count, time.perf_counter() - started)
