"""``portal notices deliver`` and ``portal notices print``: what the job worker will run, by hand
or from cron until then."""
from __future__ import annotations

import click

from portal.cli.context import CliContext, pass_context
from portal.cli.notices import notices


@notices.command("deliver")
@click.option("--limit", default=500, show_default=True, help="Deliveries per transaction.")
@click.option("--until-done/--once", default=True, show_default=True, help="Repeat until nothing due is left.")
@pass_context
def deliver(ctx: CliContext, limit: int, until_done: bool) -> None:
    """Send the notices due by e-mail and SMS (retries included once their wait is over)."""
    from paas.notices.delivery import deliver_due

    totals = {"sent": 0, "retrying": 0, "failed": 0, "suppressed": 0}
    while True:
        with ctx.platform.unit_of_work() as uow:
            run = deliver_due(uow, uow.clock.now(), limit)
            uow.commit()
        for name in totals:
            totals[name] += getattr(run, name)
        if not until_done or run.sent + run.retrying + run.failed + run.suppressed < limit:
            break
    click.echo(" ".join(f"{name} {count}" for name, count in totals.items()))


@notices.command("print")
@pass_context
def print_letters(ctx: CliContext) -> None:
    """Make the print batch of the letters waiting for paper (one PDF with an address sheet)."""
    from paas.notices.printing import print_batch

    with ctx.platform.unit_of_work() as uow:
        batch = print_batch(uow, None, uow.clock.now())
        uow.commit()
    click.echo("nothing to print" if batch is None else f"{batch.name}: {batch.letters} letters in {batch.key}")
