"""Clerks and the customer's safety: remove a bank account nothing uses, lift a customer's
freeze of online money movements (with a reason), and the payouts held for a new payee (the
list, and cancelling one when the customer calls). Every action is audited by the service."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from saas.csrf import PageForm

from paas.claims import payout_hold as claim_payout_hold
from paas.customers import bank_accounts
from paas.customers.overview import customer_overview
from paas.errors import InvalidInput, NotFound
from paas.security import freeze
from paas.servicing import payee_hold
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.forms import RevealForm
from saas.i18n import error_text
from saas.transaction import uow

_CUSTOMER = "/customers/<string(maxlength=20):customer_number>"


class ActionForm(PageForm):
    """The CSRF token of each button."""


def _clerk():
    who = principal()
    if who.role not in payee_hold.HOLD_DESK_ROLES:
        abort(403)
    return who


@blueprint.post(f"{_CUSTOMER}/bank-accounts/<int:position>/remove")
@staff_required
def remove_bank_account(customer_number: str, position: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        bank_accounts.remove_for_customer(unit, _clerk(), customer_number, position)
    except InvalidInput as error:
        unit.rollback()
        return _customer_page(customer_number, error_text(error)), 422
    return redirect(url_for("console.customer", customer_number=customer_number), 303)


@blueprint.post(f"{_CUSTOMER}/freeze")
@staff_required
def freeze_money(customer_number: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    freeze.freeze_for_customer(uow(), _clerk(), customer_number)
    return redirect(url_for("console.customer", customer_number=customer_number), 303)


@blueprint.post(f"{_CUSTOMER}/freeze/lift")
@staff_required
def lift_freeze(customer_number: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        freeze.lift_by_clerk(unit, _clerk(), customer_number, (request.form.get("reason") or "")[:300])
    except InvalidInput as error:
        unit.rollback()
        return _customer_page(customer_number, error_text(error)), 422
    return redirect(url_for("console.customer", customer_number=customer_number), 303)


@blueprint.get("/held-payouts")
@staff_required
def held_payouts():
    _clerk()
    return render_template("console/held_payouts.html", held=payee_hold.held_requests(uow()),
                           held_claims=claim_payout_hold.held_claim_payouts(uow()), form=ActionForm(), error=None)


@blueprint.post("/held-payouts/<string(maxlength=16):reference>/cancel")
@staff_required
def cancel_held_payout(reference: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        payee_hold.cancel_by_clerk(unit, _clerk(), reference, (request.form.get("note") or "")[:300])
    except InvalidInput as error:
        unit.rollback()
        return render_template("console/held_payouts.html", held=payee_hold.held_requests(unit),
                               held_claims=claim_payout_hold.held_claim_payouts(unit), form=ActionForm(),
                               error=error_text(error)), 422
    return redirect(url_for("console.held_payouts"), 303)


@blueprint.post("/held-payouts/claims/<string(maxlength=16):reference>/stop")
@staff_required
def stop_held_claim_payment(reference: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        claim_payout_hold.stop_by_clerk(unit, _clerk(), reference, (request.form.get("note") or "")[:300])
    except (InvalidInput, NotFound) as error:
        unit.rollback()
        return render_template("console/held_payouts.html", held=payee_hold.held_requests(unit),
                               held_claims=claim_payout_hold.held_claim_payouts(unit), form=ActionForm(),
                               error=error_text(error)), error.status
    return redirect(url_for("console.held_payouts"), 303)


def _customer_page(customer_number: str, error: str):
    overview = customer_overview(uow(), principal(), customer_number)
    return render_template("console/customer.html", c=overview, form=RevealForm(), revealed=None, error=error)
