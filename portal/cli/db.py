from __future__ import annotations

import click

from portal import migrate
from portal.cli.context import CliContext, pass_context


@click.group()
def db() -> None:
    """Database schema."""


@db.command()
@click.option("--revision", default="head", show_default=True)
@pass_context
def upgrade(ctx: CliContext, revision: str) -> None:
    """Apply migrations up to REVISION."""
    try:
        migrate.upgrade(ctx.engine, revision)
    except migrate.MigrationRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Database at {migrate.current_revision(ctx.engine)} ({ctx.engine.url.render_as_string(hide_password=True)})")


@db.command()
@pass_context
def current(ctx: CliContext) -> None:
    """Show the applied revision."""
    click.echo(migrate.current_revision(ctx.engine) or "(empty database)")


@db.command()
@click.argument("message")
@pass_context
def revision(ctx: CliContext, message: str) -> None:
    """Developers: write a new migration from the difference between the models and the
    database (review it before committing)."""
    migrate.autogenerate(ctx.engine, message)
