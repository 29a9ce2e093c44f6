"""``portal sms``: an SMS received by hand (the embedded default's way in), and reading the
SQS queue the provider's SNS topic feeds. Both take the path every SMS takes."""
from __future__ import annotations

import secrets
import time

import click

from iaas.sms_inbound import InboundSms
from portal.cli.context import CliContext, pass_context
from portal.config import ConfigurationError
from portal.sms_wiring import poll_sms_queue, sqs_reader


@click.group()
def sms() -> None:
    """The SMS command channel."""


@sms.command()
@click.option("--from", "sender", required=True, help="The sender's mobile, e.g. +8613800000000.")
@click.argument("text")
@pass_context
def receive(ctx: CliContext, sender: str, text: str) -> None:
    """Answer TEXT as if SENDER had sent it by SMS; print the reply."""
    from saas.sms.channel import handle

    reply = handle(ctx.platform, InboundSms(sender=sender, body=text, inbound_id=f"cli-{secrets.token_hex(12)}",
                                            source="cli"))
    click.echo(reply if reply is not None else "(no reply: this number is over its limit)")


@sms.command()
@click.option("--wait", default=10, show_default=True, help="Seconds to long-poll the queue for each batch.")
@click.option("--once", is_flag=True, help="Read one batch, then stop.")
@pass_context
def poll(ctx: CliContext, wait: int, once: bool) -> None:
    """Read inbound SMS from PORTAL_SMS_SQS_QUEUE_URL and answer them."""
    try:
        reader = sqs_reader(ctx.settings)
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from exc
    if reader is None:
        raise click.ClickException("PORTAL_SMS_SQS_QUEUE_URL is not set.")
    total = 0
    while True:
        taken = poll_sms_queue(ctx.platform, reader, wait_seconds=wait)
        total += taken
        if once:
            break
        if not taken and not wait:
            time.sleep(1)
    click.echo(f"Took {total} message(s) off the queue.")
