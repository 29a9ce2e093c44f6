from __future__ import annotations

import click

from paas.servicing.release_jobs import release_held as release_held_payouts
from portal.cli.context import CliContext, pass_context


@click.group()
def servicing() -> None:
    """Servicing requests."""


@servicing.command("release-held")
@pass_context
def release_held(ctx: CliContext) -> None:
    """Pay the held payouts whose time has come, servicing and claims (run it from the scheduler, e.g. hourly)."""
    counts, claims = release_held_payouts(ctx.platform)
    click.echo(f"Released {counts['released']}, declined {counts['declined']}, "
               f"still held (money movements frozen) {counts['still_held']}; claim payments released {claims}.")
