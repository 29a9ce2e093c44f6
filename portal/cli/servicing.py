from __future__ import annotations

import click

from paas.claims import payout_hold as claim_payout_hold
from paas.servicing.payee_hold import release_due
from portal.cli.context import CliContext, pass_context


@click.group()
def servicing() -> None:
    """Servicing requests."""


@servicing.command("release-held")
@pass_context
def release_held(ctx: CliContext) -> None:
    """Pay the held payouts whose time has come, servicing and claims (run it from the scheduler, e.g. hourly)."""
    counts = release_due(ctx.platform)
    claims = claim_payout_hold.release_due(ctx.platform)
    click.echo(f"Released {counts['released']}, declined {counts['declined']}, "
               f"still held (money movements frozen) {counts['still_held']}; claim payments released {claims}.")
