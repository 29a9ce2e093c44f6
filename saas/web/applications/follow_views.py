"""After submission: the application's outcome and plain reason, the counter-offer to accept
or refuse, the evidence asked for (upload, exam booking), and the first premium to pay."""
from __future__ import annotations

import json

from flask import abort, redirect, render_template, request, url_for

from paas.documents.uploads import MAX_BYTES
from paas.errors import N_, InvalidInput
from paas.products import catalogue
from paas.underwriting import answers, applications, issuing
from paas.underwriting.desk import findings_of
from paas.underwriting.models import Application
from paas.billing.payments import ReturnUrls
from saas.auth import applicant_required, principal
from saas.i18n import current_locale, error_text
from saas.payment_links import own_page
from saas.servicing.submission import accepts_uploads
from saas.transaction import platform, uow
from saas.web import blueprint
from saas.web.applications.forms import ActionForm

_APPLICATION = "/applications/<string(maxlength=16):reference>"
CHOOSE_FILE = N_("Choose a file to upload.")


def follow_page(application: Application, *, error: str | None = None, status: int = 200):
    from paas.policies.models import Policy

    told = json.loads(application.told_reason) if application.told_reason else {}
    policy = uow().session.get(Policy, application.policy_id) if application.policy_id else None
    order = None
    if application.payment_order_id:
        from paas.billing.models import PaymentOrder

        order = uow().session.get(PaymentOrder, application.payment_order_id)
    reasons = sorted({f.told(current_locale()) for f in findings_of(application) if f.outcome != "accept"})
    page = render_template(
        "web/applications/follow.html", a=application, spec=catalogue.product(application.product_code,
                                                                             application.product_version),
        told=told, reasons=reasons, policy=policy, order=order, first_premium=issuing.first_premium(application),
        slots={e.id: json.loads(e.slots or "[]") for e in application.evidence}, error=error, form=ActionForm(),
        lang=current_locale())
    return page, status


def _valid() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _act(reference: str, act):
    _valid()
    unit = uow()
    try:
        act(unit)
    except InvalidInput as error:
        unit.rollback()
        return follow_page(applications.mine(unit, principal(), reference), error=error_text(error), status=422)
    return redirect(url_for("web.application", reference=reference), 303)


@blueprint.post(f"{_APPLICATION}/offer")
@applicant_required
def answer_offer(reference: str):
    accept = request.form.get("answer") == "accept"
    return _act(reference, lambda unit: answers.answer_offer(unit, principal(), reference, accept=accept))


@blueprint.post(f"{_APPLICATION}/withdraw")
@applicant_required
def withdraw_application(reference: str):
    return _act(reference, lambda unit: applications.withdraw(unit, principal(), reference))


@blueprint.post(f"{_APPLICATION}/evidence/<int:request_id>/exam")
@applicant_required
def book_exam(reference: str, request_id: int):
    slot = (request.form.get("slot") or "")[:32]
    return _act(reference, lambda unit: answers.book_exam(unit, principal(), reference, request_id, slot))


@blueprint.post(f"{_APPLICATION}/evidence/<int:request_id>/document")
@applicant_required
@accepts_uploads
def upload_evidence(reference: str, request_id: int):
    storage = request.files.get("document")

    def act(unit):
        if storage is None or not storage.filename:
            raise InvalidInput(CHOOSE_FILE, field="document")
        answers.upload_evidence(unit, principal(), reference, request_id, filename=storage.filename,
                                data=storage.read(MAX_BYTES + 1))
    return _act(reference, act)


def _too_large(message: str, reference: str, request_id: int):
    return follow_page(applications.mine(uow(), principal(), reference), error=message, status=413)


upload_evidence.too_large = _too_large


@blueprint.post(f"{_APPLICATION}/pay")
@applicant_required
def pay_first_premium(reference: str):
    _valid()
    unit = uow()
    base = platform().public_url
    page = f"{base}{url_for('web.application', reference=reference)}"
    try:
        started = issuing.start_first_premium(unit, principal(), reference, ReturnUrls(page, page))
    except InvalidInput as error:
        unit.rollback()
        return follow_page(applications.mine(unit, principal(), reference), error=error_text(error), status=422)
    return redirect(own_page(started.checkout_url), 303)
