"""Paying premiums online: what is due, off to the provider's checkout, back to a receipt."""
from __future__ import annotations

import logging

from flask import abort, redirect, render_template, request, url_for

from paas.billing import expiry, payments, receipts
from paas.billing.dues import open_dues
from paas.errors import InvalidInput
from paas.errors import N_
from saas.auth import policyholder_required, principal
from saas.headers import form_may_go_to
from saas.i18n import error_text, gettext
from saas.payment_links import own_page, return_urls
from saas.transaction import platform, read_only, uow
from saas.web import blueprint
from saas.web.payment_forms import CancelPaymentForm, PayForm, due_value, parse_due

_PAYMENT = "/payments/<string(maxlength=24):reference>"
# A waiting payment page reloads itself this often (seconds) until the bank has answered.
REFRESH_SECONDS = 3
log = logging.getLogger(__name__)
PAGE_UNREACHABLE = N_("The payment page could not be opened from here, so nothing was charged. Payment %(reference)s "
                      "waits in your online payments: cancel it or try again later.")


@blueprint.get("/pay")
@policyholder_required
@read_only
def pay():
    return _pay_page()


@blueprint.post("/pay")
@policyholder_required
def start_pay():
    if not PayForm().validate_on_submit():
        abort(400)
    selections = [choice for choice in map(parse_due, request.form.getlist("due")[:100]) if choice]
    try:
        started = payments.start_payment(uow(), principal(), selections, return_urls())
    except InvalidInput as error:
        chosen = set(request.form.getlist("due"))
        return _pay_page(error=error_text(error), chosen=chosen), 422
    target = own_page(started.checkout_url)
    if not form_may_go_to(target):
        # The browser would block the redirect and the button would seem to do nothing: say so.
        log.error("payment page %s is outside the content security policy's form-action: set PORTAL_PUBLIC_URL "
                  "to the address the portal is reached at", started.checkout_url)
        return _pay_page(error=gettext(PAGE_UNREACHABLE, reference=started.reference)), 503
    return redirect(target, 303)


@blueprint.get("/payments")
@policyholder_required
@read_only
def payment_history():
    history = receipts.payment_history(uow(), principal().customer_id)
    return render_template("web/payments.html", payments=history)


@blueprint.get(_PAYMENT)
@policyholder_required
@read_only
def payment(reference: str):
    view = receipts.payment_view(uow(), principal().customer_id, reference)
    return render_template("web/payment.html", payment=view, refresh=REFRESH_SECONDS if view.pending else None,
                           cancel_form=CancelPaymentForm(), continue_url=own_page(view.checkout_url) if view.checkout_url else None)


@blueprint.post(f"{_PAYMENT}/cancel")
@policyholder_required
def cancel_payment(reference: str):
    if not CancelPaymentForm().validate_on_submit():
        abort(400)
    expiry.cancel_payment(uow(), principal(), reference)
    return redirect(url_for("web.pay"), 303)


@blueprint.get("/payments/return")
@policyholder_required
def payment_return():
    """The provider's checkout sends the customer here with its session id (once paid)."""
    session_id = request.args.get("session_id", "")[:255]
    reference = receipts.returned_from_checkout(uow(), principal().customer_id, session_id)
    return redirect(url_for("web.payment", reference=reference), 303)


def _pay_page(*, error: str | None = None, chosen: set[str] | None = None) -> str:
    dues = open_dues(uow(), principal().customer_id)
    if chosen is None:  # the oldest due of each policy, ready to pay
        firsts = {}
        for due in dues:
            firsts.setdefault(due.policy_number, due)
        chosen = {due_value(d.policy_number, d.due_date) for d in firsts.values() if not d.in_payment and not d.in_review}
    return render_template("web/pay.html", dues=dues, form=PayForm(), error=error, chosen=chosen, due_value=due_value,
                           today=platform().clock.today(), payments_on=platform().payments is not None)
