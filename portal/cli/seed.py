from __future__ import annotations


import click

from portal.cli.context import CliContext, pass_context
from portal.demo.seed import DemoLogins, seed_demo


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
        click.echo(logins_block(logins, ctx.settings.public_url))


def logins_block(logins: DemoLogins, url: str) -> str:
    """What a newcomer needs to sign in, short, in one place (``make run`` prints it last)."""
    rule = "-" * 78
    lines = [
        rule,
        "DEMO ONLY - never use these logins anywhere real.",
        f"  Portal   {url}/",
        f"  Console  {url}/console",
        f"  Policyholders (portal), password {logins.password}:",
        *(f"    {email}" for email in logins.policyholders),
        f"  Staff (console), password {logins.password} + the code of their authenticator:",
        *(f"    {login.email:<26} {login.role:<12} TOTP secret {login.totp_secret}" for login in logins.staff),
        "    a code now: .venv/bin/portal user totp-code EMAIL (or add the secret to an authenticator app)",
        *(_enrolment_lines(logins, url) if logins.enrolment else ()),
        f"  SMS and e-mail as a phone or mailbox gets them, codes included (development): {url}/dev/inbox",
        rule,
    ]
    return "\n".join(lines)


def _enrolment_lines(logins: DemoLogins, url: str) -> tuple[str, ...]:
    person = logins.enrolment
    return (
        f"  A policyholder with NO online account yet - open online service at {url}/enrol with:",
        f"    name {person.name}   ID number {person.id_number}   policy {person.policy_number}",
        "    (the code goes to her mobile on file; read it in the development inbox below)",
    )

