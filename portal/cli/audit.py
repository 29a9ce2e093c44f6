from __future__ import annotations

import click

from paas.audit import checkpoints
from portal.cli.context import CliContext, pass_context


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command()
@pass_context
def verify(ctx: CliContext) -> None:
    """Check every keyed link and every signed checkpoint; report the first broken one (exit status 1)."""
    platform = ctx.platform
    with platform.unit_of_work() as uow:
        report = checkpoints.verify(uow.session, platform.keyring, platform.objects)
    if report.intact:
        anchored = (f"held to the signed checkpoint at entry {report.checkpoint_seq}"
                    if report.checkpoint_seq is not None else "no signed checkpoint yet: run portal audit checkpoint")
        click.echo(f"Audit log intact: {report.entries_checked} entries verified ({anchored}).")
        return
    click.echo(
        f"Audit log BROKEN at entry {report.first_broken_seq}: {report.reason} "
        f"({report.entries_checked} entries before it verified).",
        err=True,
    )
    raise SystemExit(1)


@audit.command()
@pass_context
def checkpoint(ctx: CliContext) -> None:
    """Sign the chain's head and store it as a new checkpoint (after checking the entries since the last)."""
    platform = ctx.platform
    if platform.objects is None:
        raise click.ClickException("no object store is configured for the checkpoints")
    with platform.unit_of_work() as uow:
        try:
            taken = checkpoints.take(uow.session, platform.keyring, platform.objects, platform.clock.now())
        except checkpoints.CheckpointRefused as exc:
            click.echo(f"No checkpoint taken: the audit log is BROKEN at {exc}", err=True)
            raise SystemExit(1) from exc
    click.echo(f"Checkpoint of entry {taken.seq} signed with key {taken.signing_key_id}: {taken.object_key}")
