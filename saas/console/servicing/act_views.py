"""A clerk acting for a customer (at the counter or on the phone): the policy's services and
the same generic forms as the policyholder's, submitted through the console channel; the
request is recorded as entered on the customer's behalf and confirmed with the clerk's own
authenticator code."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from paas.errors import InvalidInput
from paas.servicing.offers import PolicyOffers, policy_offers
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.servicing.forms import PlainForm
from saas.i18n import current_locale
from saas.servicing.form_errors import field_errors, summary
from saas.servicing.form_input import fresh_values, resubmitted_values
from saas.servicing.submission import accepts_uploads, submit
from saas.transaction import read_only, uow

_SERVICES = "/policies/<string(maxlength=32):policy_number>/services"
_FORM = _SERVICES + "/<string(maxlength=32):kind>"


@blueprint.get(_SERVICES)
@staff_required
@read_only
def policy_services(policy_number: str):
    return render_template("console/servicing/services.html", offers=policy_offers(uow(), principal(), policy_number))


@blueprint.get(_FORM)
@staff_required
@read_only
def act_form(policy_number: str, kind: str):
    return _form_page(policy_offers(uow(), principal(), policy_number, only=kind), kind, values=None)  # this kind's form alone


@blueprint.post(_FORM)
@staff_required
@accepts_uploads
def act_submit(policy_number: str, kind: str):
    if not PlainForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        started = submit(unit, principal(), policy_number, kind, channel="console")
    except InvalidInput as error:
        unit.rollback()
        values = resubmitted_values(request.form)
        offers = policy_offers(unit, principal(), policy_number, only=kind)
        return _form_page(offers, kind, values=values, error=summary(error), error_field=field_errors(error)), 422
    return redirect(url_for("console.service_request", reference=started.reference), 303)


def _form_page(offers: PolicyOffers, kind: str, *, values, error: str | None = None, error_field: dict | None = None):
    offer = offers.offer(kind)
    if values is None:
        values = fresh_values(offer.transaction.fields, offers.beneficiaries, offers.allocation, offer.on_file)
    return render_template("console/servicing/form.html", offers=offers, offer=offer, txn=offer.transaction,
                           values=values, form=PlainForm(), error=error, error_field=error_field or {}, lang=current_locale(),
                           multipart=any(f.kind == "document" for f in offer.transaction.fields))
