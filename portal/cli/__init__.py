"""The ``portal`` command: the same services as the web, for operators and scripts."""
from __future__ import annotations

import click

from portal.cli.audit import audit
from portal.cli.context import CliContext
from portal.cli.cycle import cycle
from portal.cli.db import db
from portal.cli.keys import keys
from portal.cli.notices import notices
from portal.cli import notice_delivery  # noqa: F401,E402  (adds deliver and print to ``portal notices``)
from portal.cli.outbox import outbox
from portal.cli.payments import payments
from portal.cli.quote import quote
from portal.cli.seed import seed
from portal.cli.servicing import servicing
from portal.cli.sms import sms
from portal.cli.user import user
from portal.cli.worker import worker


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Life insurer's self-service portal."""
    ctx.obj = CliContext()


for command in (db, seed, user, audit, outbox, keys, quote, payments, cycle, servicing, notices, sms, worker):
    main.add_command(command)
