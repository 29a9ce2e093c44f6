"""The services of one policy (what can be done now, and why not the rest) and the form of
each, built from the transaction's fields."""
from __future__ import annotations

from flask import abort, redirect, request, url_for

from paas.errors import InvalidInput
from paas.servicing.offers import PolicyOffers, policy_offers
from saas.auth import policyholder_required, principal
from saas.i18n import current_locale
from saas.page_templates import render_page
from saas.servicing.form_errors import field_errors, summary
from saas.servicing.form_input import fresh_values, resubmitted_values
from saas.servicing.submission import accepts_uploads, submit
from paas.security import tiers
from saas.transaction import read_only, uow
from saas.web import blueprint
from saas.web.servicing.forms import ServiceForm

_SERVICES = "/policies/<string(maxlength=32):policy_number>/services"
_FORM = _SERVICES + "/<string(maxlength=32):kind>"


@blueprint.get(_SERVICES)
@policyholder_required
@read_only
def services(policy_number: str):
    return render_page("web/servicing/services.html", offers=policy_offers(uow(), principal(), policy_number),
                           payout_lock=tiers.payout_lock(uow(), principal()))


@blueprint.get(_FORM)
@policyholder_required
@read_only
def service_form(policy_number: str, kind: str):
    offers = policy_offers(uow(), principal(), policy_number, only=kind)  # this kind's form alone
    return _form_page(offers, kind, values=None)


@blueprint.post(_FORM)
@policyholder_required
@accepts_uploads
def submit_service(policy_number: str, kind: str):
    if not ServiceForm().validate_on_submit():
        abort(400)
    unit = uow()
    try:
        started = submit(unit, principal(), policy_number, kind, channel="web")
    except InvalidInput as error:
        unit.rollback()  # an upload or a half-made request from this attempt is not kept
        offers = policy_offers(unit, principal(), policy_number, only=kind)
        values = resubmitted_values(request.form)
        return _form_page(offers, kind, values=values, error=summary(error), error_field=field_errors(error)), 422
    return redirect(url_for("web.service_request", reference=started.reference), 303)


def _form_page(offers: PolicyOffers, kind: str, *, values, error: str | None = None, error_field: dict | None = None):
    offer = offers.offer(kind)
    if values is None:
        values = fresh_values(offer.transaction.fields, offers.beneficiaries, offers.allocation, offer.on_file)
    return render_page("web/servicing/form.html", offers=offers, offer=offer, txn=offer.transaction, values=values,
                           form=ServiceForm(), error=error, error_field=error_field or {}, lang=current_locale(),
                           multipart=any(f.kind == "document" for f in offer.transaction.fields))
