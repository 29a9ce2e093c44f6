"""``portal notices``: the electronic notices, from the command line."""
from __future__ import annotations

import json
from pathlib import Path

import click

from portal.cli.context import CliContext, pass_context


@click.group()
def notices() -> None:
    """Electronic notices (letters, account notices)."""


@notices.command("verify")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public-keys", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check with these public keys (JSON of `portal keys public`) instead of the key ring.")
@pass_context
def verify(ctx: CliContext, pdf: Path, public_keys: Path | None) -> None:
    """Check a notice's PDF offline: the signed data it carries, and its PDF signature when it
    has one. Exit status 0 only for a genuine notice."""
    from paas.notices.pdf_check import NO_PDF_SIGNATURE, check_pdf
    from paas.notices.types import notice_type

    keys = json.loads(public_keys.read_text(encoding="utf-8")) if public_keys else ctx.platform.keyring
    verdict = check_pdf(pdf.read_bytes(), keys)
    data = verdict.data if isinstance(verdict.data, dict) else {}
    if verdict.genuine:
        click.echo(f"GENUINE: notice {data.get('notice_number')} ({notice_type(data['type']).title}) "
                   f"issued {data.get('issued_on')} to {data.get('recipient_masked')}"
                   + (f", policy {data['policy_number']}" if data.get("policy_number") else ""))
        click.echo(f"  data signed with key {verdict.key_id}; verification code {verdict.code}")
        if verdict.pdf_signature == NO_PDF_SIGNATURE:
            click.echo("  no PDF signature: the data is genuine, but the printed text is not vouched for; "
                       "compare it with these figures:")
            for name, value in sorted(data.get("fields", {}).items()):
                click.echo(f"    {name}: {value}")
        else:
            click.echo(f"  PDF signature valid over the whole file, by {verdict.signer}"
                       + ("" if public_keys is None else " (certificate not checked: public keys only)"))
        return
    click.echo(f"NOT GENUINE: {pdf.name}")
    for problem in verdict.problems:
        click.echo(f"  - {problem}")
    raise SystemExit(1)


@notices.command("fonts")
def letter_fonts() -> None:
    """Cut the letters' fonts from the installed Noto CJK into the data dir (once: a minute or
    two; nothing to do when they are there). Letters made without them use the full Noto, slower."""
    from paas.notices.fonts import FontsMissing, build_letter_fonts

    def cutting(path) -> None:  # on stderr: `make migrate` keeps only this of the command's output
        click.echo(f"Cutting the letters' font {path.name} from Noto CJK (once; a minute or so)...", err=True)

    try:
        made = build_letter_fonts(on_cut=cutting)
    except FontsMissing as missing:
        raise click.ClickException(f"{missing}. Letters (PDF) cannot be made without it; the rest of the "
                                   "portal works.") from missing
    for path in made:
        click.echo(f"{path} ({path.stat().st_size:,} bytes)")
