"""The nightly cycle shared by any number of workers at once.

The book is cut into N partitions, ranges of policy ids (each part reads only its own rows;
the cut is recorded, so every worker uses the same). Step by step, in the plan's order, each
worker claims a partition of the current step that nobody holds - ``FOR UPDATE SKIP LOCKED``
on PostgreSQL, so workers never queue behind each other - runs it with the ordinary runner,
and claims the next; when none is left to claim it waits until every partition of the step
is done before any worker starts the next step (the plan's order holds for the whole book, as
in one run). A claim is a lease renewed after each committed batch: a worker killed mid-
partition leaves its progress row at its last committed batch, and when the lease runs out
another worker claims the partition and resumes after that batch (``runner``). A worker that
was only slow and lost its lease cannot do a batch twice either: the runner's progress row
check stops it (``CycleConflict``). So the result is exactly that of one run."""
from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import func, or_, select, update

from paas.cycle.batch import CycleOptions, Partition
from paas.cycle.models import CycleRun
from paas.cycle.plan import STEP_NAMES, STEPS
from paas.cycle.progress import Progress, StepReport, open_run
from paas.insert_once import insert_ignoring_duplicates
from paas.cycle.runner import CycleConflict, run_cycle
from paas.platform import Platform
from paas.policies.models import Policy

log = logging.getLogger(__name__)
LEASE_SECONDS = 120  # longer than any one batch takes
PLAN = "shared_plan"  # the progress table's row recording a shared night's cut
DEFAULTS = CycleOptions()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def share_night(platform: Platform, run_date: date, *, partitions: int, options: CycleOptions = DEFAULTS,
                steps: Iterable[str] | None = None, worker: str | None = None, lease_seconds: float = LEASE_SECONDS,
                poll_seconds: float = 0.1, progress: Callable[[Progress], None] = lambda _p: None) -> list[StepReport]:
    """Take part in the night of ``run_date`` cut into ``partitions``; returns when every step is
    done for the whole book (by this worker or others), with the reports of what this one ran."""
    if partitions < 1:
        raise ValueError("partitions must be at least 1")
    names = set(steps) if steps is not None else set(STEP_NAMES)
    unknown = names - set(STEP_NAMES)
    if unknown:
        raise ValueError(f"unknown cycle steps: {', '.join(sorted(unknown))}")
    worker = worker or worker_name()
    parts = {part.label: part for part in _plan(platform, run_date, partitions)}
    reports: list[StepReport] = []
    for step in (s for s in STEPS if s.name in names):
        if not step.per_policy and not step.applies(platform):
            continue
        labels = list(parts.values()) if step.per_policy else [parts[f"1/{partitions}r"]]
        for partition in labels:  # every worker opens them all (idempotent): none is missed
            open_run(platform, run_date, step.name, partition, again=False)
        label_texts = [p.label for p in labels]
        while True:
            claimed = _claim(platform, run_date, step.name, label_texts, worker, lease_seconds)
            if claimed is not None:
                reports.extend(_run_claimed(platform, run_date, step.name, parts[claimed], worker, lease_seconds,
                                            options, progress))
                continue
            if _all_done(platform, run_date, step.name, label_texts):
                break
            time.sleep(poll_seconds)  # others hold the rest of this step: the next waits for them
    return reports


def _run_claimed(platform, run_date, step, partition: Partition, worker, lease_seconds, options, progress):
    def renew(report: Progress) -> None:
        _renew(platform, run_date, step, partition.label, worker, lease_seconds)
        progress(report)

    try:
        return run_cycle(platform, run_date, partition=partition, steps=[step], options=options, progress=renew)
    except CycleConflict:  # our lease ran out and another worker resumed the partition
        log.warning("cycle %s %s %s: taken over by another worker", run_date, step, partition.label)
        return []


def _plan(platform: Platform, run_date: date, partitions: int) -> list[Partition]:
    """The night's cut into ranges of ids, the same for every worker: the highest policy id
    when the first worker arrived is recorded (a ``shared_plan`` row) and split evenly; the
    last range has no end, so a policy issued during the night is in it, as in one run."""
    label = f"{partitions}r"
    with platform.unit_of_work() as uow:
        highest = uow.session.scalar(select(func.coalesce(func.max(Policy.id), 0)))
        uow.session.execute(
            insert_ignoring_duplicates(uow.session.get_bind().dialect.name, CycleRun)
            .values(run_date=run_date, step=PLAN, partition=label, status="done", last_key=highest,
                    processed=partitions, started_at=uow.clock.now(), finished_at=uow.clock.now())
            .on_conflict_do_nothing())
        highest = uow.session.scalar(select(CycleRun.last_key).where(
            CycleRun.run_date == run_date, CycleRun.step == PLAN, CycleRun.partition == label))
        uow.commit()
    bounds = [highest * k // partitions for k in range(partitions + 1)]
    return [Partition(k, partitions, ranged=True, low=bounds[k - 1], high=bounds[k] if k < partitions else None)
            for k in range(1, partitions + 1)]


def _claim(platform, run_date, step, labels, worker, lease_seconds) -> str | None:
    now = time.time()
    with platform.unit_of_work() as uow:
        mine = uow.session.execute(
            select(CycleRun).where(CycleRun.run_date == run_date, CycleRun.step == step,
                                   CycleRun.partition.in_(labels), CycleRun.status == "running",
                                   or_(CycleRun.lease_until.is_(None), CycleRun.lease_until < now))
            .order_by(CycleRun.partition).limit(1).with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if mine is None:
            return None
        mine.claimed_by, mine.lease_until = worker, now + lease_seconds
        label = mine.partition
        uow.commit()
    return label


def _renew(platform, run_date, step, label, worker, lease_seconds) -> None:
    with platform.unit_of_work() as uow:
        uow.session.execute(
            update(CycleRun).where(CycleRun.run_date == run_date, CycleRun.step == step, CycleRun.partition == label,
                                   CycleRun.claimed_by == worker)
            .values(lease_until=time.time() + lease_seconds))
        uow.commit()


def _all_done(platform, run_date, step, labels) -> bool:
    with platform.unit_of_work(read_only=True) as uow:
        left = uow.session.scalar(
            select(func.count()).select_from(CycleRun)
            .where(CycleRun.run_date == run_date, CycleRun.step == step, CycleRun.partition.in_(labels),
                   CycleRun.status != "done"))
    return left == 0
