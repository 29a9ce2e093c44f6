from __future__ import annotations

import json

import click

from portal.cli.context import CliContext, pass_context
from portal.cloud_wiring import build_objects, keyring_file


@click.group()
def keys() -> None:
    """The key ring (the local key file, or sealed by KMS: PORTAL_KEYRING)."""


@keys.command()
@pass_context
def rotate(ctx: CliContext) -> None:
    """Make a new key id active (data, MAC and signing keys). Older ciphertexts still decrypt, and
    older audit links and checkpoints still verify, with their own key."""
    where = keyring_file(ctx.settings, build_objects(ctx.settings))
    ring = where.load_or_create().rotated()
    where.save(ring)
    click.echo(f"Active key is now {ring.active_key_id}; restart the portal, then run: portal keys reencrypt")


@keys.command()
@pass_context
def reencrypt(ctx: CliContext) -> None:
    """Re-encrypt everything stored under an older key with the active key (after rotate)."""
    from paas.security.reencryption import reencrypt_all

    report = reencrypt_all(ctx.platform, progress=click.echo)
    click.echo(f"Re-encrypted {report.total} value(s) with key {ctx.platform.keyring.active_key_id}.")


@keys.command("public")
@pass_context
def public(ctx: CliContext) -> None:
    """Print the public signing keys (JSON, raw Ed25519 in base64 by key id): anyone can check a
    checkpoint's signature with them."""
    click.echo(json.dumps(ctx.platform.keyring.public_keys(), indent=2, sort_keys=True))
