from __future__ import annotations

import click

from iaas.keyring import LocalKeyRing
from portal.cli.context import CliContext, pass_context


@click.group()
def keys() -> None:
    """The local key ring (embedded default)."""


@keys.command()
@pass_context
def rotate(ctx: CliContext) -> None:
    """Make a new data key active. Older ciphertexts still decrypt with their own key."""
    path = ctx.settings.keyring_path
    ring = LocalKeyRing.load_or_create(path).rotated()
    ring.save(path)
    click.echo(f"Active key is now {ring.active_key_id}; restart the portal, then run: portal keys reencrypt")


@keys.command()
@pass_context
def reencrypt(ctx: CliContext) -> None:
    """Re-encrypt everything stored under an older key with the active key (after rotate)."""
    from paas.security.reencryption import reencrypt_all

    report = reencrypt_all(ctx.platform, progress=click.echo)
    click.echo(f"Re-encrypted {report.total} value(s) with key {ctx.platform.keyring.active_key_id}.")
