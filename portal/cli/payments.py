from __future__ import annotations

import click

from iaas.payments.sandbox import SandboxGateway
from paas.billing.expiry import expire_stale_orders
from paas.billing.refunds import send_pending_refunds
from portal.cli.context import CliContext, pass_context
from portal.payments_wiring import sandbox_delivery


@click.group()
def payments() -> None:
    """Online premium payments: unfinished checkouts, refunds, sandbox webhooks."""


@payments.command()
@pass_context
def expire(ctx: CliContext) -> None:
    """Close checkouts left unpaid for an hour and release their premiums."""
    total = 0
    while closed := expire_stale_orders(ctx.platform):
        total += closed
    click.echo(f"Expired {total} payment(s).")


@payments.command()
@pass_context
def refunds(ctx: CliContext) -> None:
    """Send recorded refunds that have not reached the provider yet."""
    total = 0
    while sent := send_pending_refunds(ctx.platform):
        total += sent
    click.echo(f"Sent {total} refund(s).")


@payments.command()
@pass_context
def redeliver(ctx: CliContext) -> None:
    """Sandbox only: post every undelivered webhook event to PORTAL_PUBLIC_URL now."""
    gateway = ctx.platform.payments
    if not isinstance(gateway, SandboxGateway):
        raise click.ClickException("redeliver is for the sandbox; Stripe redelivers from its dashboard")
    delivery = sandbox_delivery(ctx.settings, gateway.store, gateway.webhook_secret)
    delivered = delivery.deliver_due(everything=True)
    waiting = len(gateway.store.undelivered())
    click.echo(f"Delivered {delivered} event(s); {waiting} still undelivered.")
    if waiting:
        raise SystemExit(1)
