"""``portal cycle``: the nightly cycle of premiums, grace, lapses, anniversaries and maturities."""
from __future__ import annotations

from datetime import date

import click

from paas.cycle.batch import CycleOptions, Partition
from paas.cycle.plan import STEP_NAMES
from paas.cycle.progress import Progress, cycle_status
from paas.cycle.jobs import SHARE
from paas.cycle.runner import CycleConflict, run_cycle
from paas.cycle.shared import LEASE_SECONDS, share_night, worker_name
from portal.cli.context import CliContext, pass_context

DATE = click.DateTime(formats=["%Y-%m-%d"])


class BusinessDay(click.ParamType):
    """YYYY-MM-DD, or ``today``: the platform clock's business day (what a scheduled run passes)."""

    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value.strip().lower() == "today":
            return "today"
        return DATE.convert(value, param, ctx).date()


BUSINESS_DAY = BusinessDay()


@click.group()
def cycle() -> None:
    """The nightly cycle (run once for each business day)."""


@cycle.command()
@click.option("--date", "run_date", type=BUSINESS_DAY, required=True, help="The business day, YYYY-MM-DD, or today.")
@click.option("--partition", default="1/1", show_default=True,
              help="K/N: this process takes the policies whose id %% N = K-1 (run N processes for one day).")
@click.option("--steps", help=f"Comma-separated subset, run in the cycle's order: {','.join(STEP_NAMES)}.")
@click.option("--again", is_flag=True, help="Run steps already finished for the day once more (changes nothing).")
@click.option("--batch-size", type=click.IntRange(min=1), default=CycleOptions.batch_size, show_default=True,
              help="Policy ids per batch (each batch is one transaction).")
@click.option("--notice-days", type=click.IntRange(min=1), default=CycleOptions.notice_days, show_default=True,
              help="Premium-due notices this many days ahead.")
@click.option("--warning-days", type=click.IntRange(min=1), default=CycleOptions.warning_days, show_default=True,
              help="Grace warnings this many days before the lapse date.")
@pass_context
def run(ctx: CliContext, run_date, partition: str, steps: str | None, again: bool, batch_size: int,
        notice_days: int, warning_days: int) -> None:
    """Run the day's steps; a run that was stopped resumes where it stopped."""
    try:
        part = Partition.parse(partition)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--partition") from exc
    names = [name.strip() for name in steps.split(",") if name.strip()] if steps else None
    options = CycleOptions(notice_days=notice_days, warning_days=warning_days, batch_size=batch_size)
    day = ctx.platform.clock.today() if run_date == "today" else run_date
    click.echo(f"Cycle {day.isoformat()}, partition {part.label}", err=True)
    try:
        reports = run_cycle(ctx.platform, day, partition=part, steps=names, options=options, again=again,
                            progress=_show)
    except (ValueError, CycleConflict) as exc:
        raise click.ClickException(str(exc)) from exc
    for report in reports:
        failed = f"  {report.failed} FAILED (see the audit log: cycle.policy_failed)" if report.failed else ""
        click.echo(f"{report.step:<15} {report.status:<8} {report.touched:>9,} policies  "
                   f"{report.batches:>4} batches  {report.seconds:7.1f} s{failed}")
    if any(report.failed for report in reports):
        raise SystemExit(1)


def _show(progress: Progress) -> None:
    click.echo(f"  {progress.step:<15} batch {progress.batch:>4}/{progress.batches:<4} "
               f"{progress.touched:>9,} policies touched  {progress.rate:>9,.0f} ids/s  (ids to {progress.last_key:,})",
               err=True)


@cycle.command()
@click.option("--date", "run_date", type=DATE, required=True, help="The business day, YYYY-MM-DD.")
@pass_context
def status(ctx: CliContext, run_date) -> None:
    """Where each step of a day stands, by partition."""
    day: date = run_date.date()
    runs = cycle_status(ctx.platform, day)
    if not runs:
        click.echo(f"No cycle has run for {day.isoformat()}.")
        return
    for run in runs:
        finished = run.finished_at.isoformat(timespec="seconds") if run.finished_at else "-"
        click.echo(f"{run.partition:<6} {run.step:<15} {run.status:<8} {run.processed:>9,} policies  "
                   f"last id {run.last_key:,}  finished {finished}")


@cycle.command()
@click.option("--date", "run_date", type=BUSINESS_DAY, required=True, help="The business day, YYYY-MM-DD, or today.")
@click.option("--partitions", type=click.IntRange(min=1), default=8, show_default=True,
              help="How many parts the book is cut into (the same number for every worker of the night).")
@click.option("--batch-size", type=click.IntRange(min=1), default=CycleOptions.batch_size, show_default=True,
              help="Policy ids per batch (each batch is one transaction).")
@click.option("--lease-seconds", type=click.FloatRange(min=1), default=LEASE_SECONDS, show_default=True,
              help="A partition whose worker said nothing this long is taken over.")
@pass_context
def share(ctx: CliContext, run_date, partitions: int, batch_size: int, lease_seconds: float) -> None:
    """Join the night with any number of other processes: partitions are claimed from the database."""
    day = ctx.platform.clock.today() if run_date == "today" else run_date
    click.echo(f"Cycle {day.isoformat()}, shared in {partitions} partitions, as {worker_name()}", err=True)
    try:
        reports = share_night(ctx.platform, day, partitions=partitions, options=CycleOptions(batch_size=batch_size),
                              lease_seconds=lease_seconds, progress=_show)
    except (ValueError, CycleConflict) as exc:
        raise click.ClickException(str(exc)) from exc
    ran = [report for report in reports if report.status == "done"]
    click.echo(f"The night is done; this process ran {len(ran)} partition step(s), "
               f"{sum(report.touched for report in ran):,} policies touched.")
    if any(report.failed for report in reports):
        raise SystemExit(1)


@cycle.command()
@click.option("--date", "run_date", type=BUSINESS_DAY, required=True, help="The business day, YYYY-MM-DD, or today.")
@click.option("--partitions", type=click.IntRange(min=1), default=8, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="How many ``portal worker`` processes should join (one job each).")
@click.option("--batch-size", type=click.IntRange(min=1), default=CycleOptions.batch_size, show_default=True)
@pass_context
def start(ctx: CliContext, run_date, partitions: int, workers: int, batch_size: int) -> None:
    """Hand the night to the workers through the job queue."""
    day = ctx.platform.clock.today() if run_date == "today" else run_date
    payload = {"date": day.isoformat(), "partitions": partitions, "batch_size": batch_size}
    for _ in range(workers):
        ctx.platform.jobs.enqueue(SHARE, payload)
    click.echo(f"Queued the night of {day.isoformat()} for {workers} worker(s), {partitions} partitions.")
