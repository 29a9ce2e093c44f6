"""The policyholder's safety page: their bank accounts (remove one nothing uses), payouts held
because they go to an account added lately (cancel one), and the freeze of online money
movements. Every security alert links here."""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from saas.csrf import PageForm

from paas.customers import bank_accounts
from paas.customers.models import Customer
from paas.errors import InvalidInput
from paas.security import freeze
from paas.servicing.payee_hold import held_requests
from saas.auth import policyholder_required, principal
from saas.i18n import error_text
from saas.transaction import read_only, uow
from saas.web import blueprint


class SafetyForm(PageForm):
    """Each button's form contributes only the CSRF token."""


@blueprint.get("/security")
@policyholder_required
@read_only
def security():
    return _page()


@blueprint.get("/security/freeze")
@policyholder_required
def freeze_page():
    return redirect(url_for("web.security") + "#freeze", 303)  # where every alert's link lands


@blueprint.post("/security/freeze")
@policyholder_required
def freeze_money():
    if not SafetyForm().validate_on_submit():
        abort(400)
    freeze.freeze(uow(), principal())
    return redirect(url_for("web.security") + "#freeze", 303)


@blueprint.post("/security/bank-accounts/<int:position>/remove")
@policyholder_required
def remove_bank_account(position: int):
    if not SafetyForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        bank_accounts.remove_own(unit, principal(), position)
    except InvalidInput as error:
        unit.rollback()
        return _page(error=error_text(error)), 422
    return redirect(url_for("web.security"), 303)


def _page(*, error: str | None = None):
    unit = uow()
    customer = unit.session.get(Customer, principal().customer_id)
    return render_template("web/security.html", accounts=bank_accounts.bank_account_lines(unit, customer),
                           held=held_requests(unit, customer_id=customer.id), frozen_at=customer.money_frozen_at,
                           form=SafetyForm(), error=error)
