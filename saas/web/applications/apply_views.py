"""Starting, saving and submitting an application. The service checks everything; the page
only carries the fields and shows what the service said (each fault beside its field)."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from paas.customers.models import Customer
from paas.errors import InvalidInput
from paas.products.catalogue import on_sale
from paas.underwriting import applications, rulebook
from paas.underwriting.entry import BENEFICIARY_RELATIONS, BENEFICIARY_ROWS, FAMILY
from paas.underwriting.states import DRAFT
from paas.underwriting.newcomer import become_customer
from saas.auth import applicant_required, principal
from saas.i18n import current_locale
from saas.servicing.form_errors import field_errors, summary
from saas.transaction import read_only, uow
from saas.web import blueprint
from saas.web.applications.forms import ApplicationForm

_APPLICATION = "/applications/<string(maxlength=16):reference>"


def choose_page(*, error: str | None = None, error_field: dict[str, str] | None = None, values=None):
    # A visitor without a customer record gives their own particulars once, with the product.
    return render_template("web/applications/choose.html", products=on_sale(), form=ApplicationForm(),
                           newcomer=not principal().is_policyholder, error=error, error_field=error_field or {},
                           v=values or {}, lang=current_locale())


@blueprint.get("/apply")
@applicant_required
@read_only
def apply_start():
    return choose_page()


@blueprint.post("/apply")
@applicant_required
def apply_begin():
    if not ApplicationForm().validate_on_submit():
        abort(400)
    unit, who = uow(), principal()
    product = (request.form.get("product") or "")[:32]
    if not any(p.code == product for p in on_sale()):
        abort(404)
    if not who.is_policyholder:
        try:
            who = become_customer(unit, who, request.form)
        except InvalidInput as error:
            unit.rollback()
            typed = {k: (request.form.get(k) or "")[:60] for k in ("owner_name", "owner_gender", "owner_birth_date")}
            return choose_page(error=summary(error), error_field=field_errors(error), values=typed), 422
    try:
        application = applications.start(unit, who, product)
    except InvalidInput:
        abort(404)
    return redirect(url_for("web.application", reference=application.reference), 303)


@blueprint.get("/applications")
@applicant_required
@read_only
def my_applications():
    return render_template("web/applications/list.html", applications=applications.my_applications(uow(), principal()),
                           lang=current_locale())


@blueprint.get(_APPLICATION)
@applicant_required
@read_only
def application(reference: str):
    found = applications.mine(uow(), principal(), reference)
    if found.status != DRAFT:
        from saas.web.applications.follow_views import follow_page

        return follow_page(found)
    return form_page(applications.draft(uow(), principal(), reference))


@blueprint.post(_APPLICATION)
@applicant_required
def save_application(reference: str):
    if not ApplicationForm().validate_on_submit():
        abort(400)
    unit, who = uow(), principal()
    if request.form.get("action") != "submit":
        saved = applications.save(unit, who, reference, request.form)
        return form_page(saved, saved_now=True)
    try:
        applications.submit(unit, who, reference, request.form)
    except InvalidInput as error:
        unit.rollback()
        saved = applications.save(unit, who, reference, request.form)  # what was typed is kept as the draft
        unit.commit()
        return form_page(saved, error=summary(error), error_field=field_errors(error)), 422
    return redirect(url_for("web.application", reference=reference), 303)


def form_page(draft: applications.Draft, *, saved_now: bool = False, error: str | None = None,
              error_field: dict[str, str] | None = None):
    from paas.products import catalogue

    app = draft.application
    book = rulebook.current()
    owner = uow().session.get(Customer, app.owner_id)
    return render_template(
        "web/applications/form.html", a=app, v=draft.values, quote=draft.quote, quote_error=draft.quote_error,
        spec=catalogue.product(app.product_code, app.product_version), questions=book.questions_for(app.product_code),
        occupations=sorted(book.occupations.values(), key=lambda o: o.number), owner=owner,
        bank_accounts=owner.bank_accounts, family=FAMILY, relations=BENEFICIARY_RELATIONS,
        rows=range(1, BENEFICIARY_ROWS + 1), saved_now=saved_now, error=error, error_field=error_field or {},
        form=ApplicationForm(), lang=current_locale())
