from __future__ import annotations

import click

from paas.audit import chain
from portal.cli.context import CliContext, pass_context


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command()
@pass_context
def verify(ctx: CliContext) -> None:
    """Check every link of the chain; report the first broken one (exit status 1)."""
    with ctx.platform.unit_of_work() as uow:
        report = chain.verify(uow.session)
    if report.intact:
        click.echo(f"Audit log intact: {report.entries_checked} entries verified.")
        return
    click.echo(
        f"Audit log BROKEN at entry {report.first_broken_seq}: {report.reason} "
        f"({report.entries_checked} entries before it verified).",
        err=True,
    )
    raise SystemExit(1)
