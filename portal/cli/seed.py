from __future__ import annotations

import click

from portal.cli.context import CliContext, pass_context
from portal.demo.seed import seed_demo


@click.command()
@click.option("--demo", is_flag=True, help="Load the demo policyholders and staff (idempotent).")
@click.option("--policies", type=click.IntRange(min=1), help="Bulk-load this many generated policies.")
@click.option("--customers", type=click.IntRange(min=1), help="Customers for --policies (default: 40% of them).")
@pass_context
def seed(ctx: CliContext, demo: bool, policies: int | None, customers: int | None) -> None:
    """Load demo data or bulk data for benchmarks."""
    if not demo and not policies:
        raise click.UsageError("say what to load: --demo and/or --policies N")
    if policies:
        from portal.demo.bulk import bulk_seed

        report = bulk_seed(ctx.platform, ctx.engine, policies=policies, customers=customers, progress=click.echo)
        click.echo(report.summary())
    if demo:
        logins = seed_demo(ctx.platform)
        click.echo("Demo data " + ("loaded." if logins.created else "already present; nothing changed."))
        click.echo("")
        click.echo("DEMO ONLY - never use these anywhere real.")
        click.echo(f"  Policyholders (web, /login), password {logins.password}:")
        for email in logins.policyholders:
            click.echo(f"    {email}")
        click.echo(f"  Staff (console, /console/login), password {logins.password} + authenticator code:")
        for login in logins.staff:
            click.echo(f"    {login.email:<26} {login.role:<12} TOTP secret {login.totp_secret}")
        click.echo("  (add a secret to any authenticator app, or: portal user totp-code EMAIL)")
