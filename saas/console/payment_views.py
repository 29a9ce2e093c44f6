"""Payments that need a person: refunds that failed after they were sent, and payments held
for review (the provider reported another amount or currency). Clerks and supervisors."""
from __future__ import annotations

from flask import render_template

from paas.billing.attention import failure_message, payments_needing_attention
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.transaction import read_only, uow


@blueprint.get("/payments")
@staff_required
@read_only
def payments_attention():
    return render_template("console/payments.html", attention=payments_needing_attention(uow(), principal()),
                           refund_failure=failure_message)
