"""The SMS simulator (embedded default): a colleague types as a given mobile and sees what
the portal answers, through the very path a real SMS takes (``saas.sms.channel.handle``).
Codes never show: they go to the phone, sealed, and read here as dots. Each simulated
message is audited. And the opt-out list."""
from __future__ import annotations

import secrets

from flask import abort, current_app, redirect, render_template, request, url_for
from saas.csrf import PageForm

from paas.messaging.inbound import InboundSms
from paas.audit import chain
from paas.customers.masking import mask_mobile
from paas.messaging.optout import SMS_DESK_ROLES, opt_out_list
from paas.messaging.sms_conversation import conversation
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.sms.channel import answer, normalise_sender
from saas.sms.registry import all_commands
from saas.transaction import read_only, uow

SIMULATOR_SETTING = "PORTAL_SMS_SIMULATOR"
DEFAULT_MOBILE = "+8613800000000"


class SimulatedSms(PageForm):
    """The CSRF token; the fields are read as typed (anything may be typed into a phone)."""


def _enabled() -> None:
    if not current_app.config.get(SIMULATOR_SETTING, True):
        abort(404)  # a production portal takes SMS from the provider only
    _desk()


def _desk() -> None:
    if principal().role not in SMS_DESK_ROLES:
        abort(403)


@blueprint.get("/sms")
@staff_required
@read_only
def sms_simulator():
    _enabled()
    mobile = normalise_sender(request.args.get("mobile") or DEFAULT_MOBILE)
    return render_template("console/sms_simulator.html", mobile=mobile, form=SimulatedSms(),
                           lines=conversation(uow(), mobile), commands=[c for c in all_commands() if c.usage])


@blueprint.post("/sms")
@staff_required
def simulate_sms():
    _enabled()
    if not SimulatedSms().validate_on_submit():
        abort(400)
    mobile = normalise_sender(request.form.get("mobile") or "")
    text = (request.form.get("message") or "")[:640]
    who = principal()
    unit = uow()
    answer(unit, InboundSms(sender=mobile, body=text, inbound_id=f"console-{secrets.token_hex(12)}", source="console"))
    chain.record(unit, who.actor, "sms.simulated", subject=f"mobile:{mask_mobile(mobile)}")  # committed with the request
    return redirect(url_for("console.sms_simulator", mobile=mobile) + "#latest")


@blueprint.get("/sms/opt-outs")
@staff_required
@read_only
def sms_opt_outs():
    _desk()
    return render_template("console/sms_opt_outs.html", rows=opt_out_list(uow()))
