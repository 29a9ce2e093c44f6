from __future__ import annotations

import click

from paas.messaging.outbox import deliver_pending
from portal.cli.context import CliContext, pass_context


@click.group()
def outbox() -> None:
    """Mail and SMS waiting to be delivered."""


@outbox.command()
@pass_context
def send(ctx: CliContext) -> None:
    """Deliver pending messages (those whose delivery after commit failed)."""
    total = 0
    while sent := deliver_pending(ctx.platform):
        total += sent
    click.echo(f"Delivered {total} message(s).")
