from __future__ import annotations

import click
from sqlalchemy import select

from paas.errors import DomainError
from paas.security import totp
from paas.security.accounts import create_staff, staff_totp_secret
from paas.security.models import Account
from paas.security.roles import STAFF_ROLES
from portal.cli.context import CliContext, pass_context


@click.group()
def user() -> None:
    """Accounts."""


@user.command("create-staff")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice(sorted(STAFF_ROLES)), required=True)
@click.option("--level", "authority_level", type=click.IntRange(0, 9), default=1, show_default=True)
@click.password_option()
@pass_context
def create_staff_command(ctx: CliContext, email: str, display_name: str, role: str, authority_level: int, password: str) -> None:
    """Create a staff account and print its authenticator secret (shown once)."""
    with ctx.platform.unit_of_work() as uow:
        try:
            staff = create_staff(
                uow, email=email, display_name=display_name, role=role, password=password, authority_level=authority_level
            )
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
        uow.commit()
    click.echo(f"Created {role} {staff.account.email}.")
    click.echo(f"Authenticator secret (shown once): {staff.totp_secret}")
    click.echo(f"Provisioning URI: {staff.provisioning_uri}")


@user.command("totp-code")
@click.argument("email")
@pass_context
def totp_code(ctx: CliContext, email: str) -> None:
    """Print the current authenticator code of a DEMO staff account."""
    with ctx.platform.unit_of_work() as uow:
        account = uow.session.execute(select(Account).where(Account.email == email.strip().lower())).scalar_one_or_none()
        if account is None:
            raise click.ClickException(f"no account {email}")
        try:
            secret = staff_totp_secret(uow, account)
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(totp.current_code(secret, uow.clock.now()))
