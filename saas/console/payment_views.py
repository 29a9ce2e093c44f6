"""Payments that need a person: refunds that failed after they were sent, and payments held
for review (the provider reported another amount or currency). Clerks and supervisors."""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from saas.csrf import PageForm
from wtforms import StringField

from paas.billing.attention import failure_message, payments_needing_attention, resolve_failed_refund
from paas.billing.review_outcome import settle_review
from paas.errors import InvalidInput, NotFound
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.i18n import error_text
from saas.transaction import read_only, uow


class ResolutionForm(PageForm):
    note = StringField()


class ReviewForm(PageForm):
    note = StringField()
    decision = StringField()  # "credit" or "refund": the button pressed


@blueprint.get("/payments")
@staff_required
@read_only
def payments_attention():
    return _page()


@blueprint.post("/payments/refunds/<int:refund_id>/resolve")
@staff_required
def resolve_refund(refund_id: int):
    form = ResolutionForm()
    if not form.validate_on_submit():
        abort(400)
    unit = uow()
    try:
        resolve_failed_refund(unit, principal(), refund_id, form.note.data or "")
    except (InvalidInput, NotFound) as error:
        unit.rollback()
        return _page(error=error_text(error), failed_refund=refund_id, note=form.note.data or ""), error.status
    return redirect(url_for("console.payments_attention"), 303)


@blueprint.post("/payments/review/<string(maxlength=20):reference>/settle")
@staff_required
def settle_payment_in_review(reference: str):
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    unit = uow()
    try:
        settle_review(unit, principal(), reference, form.decision.data or "", form.note.data or "")
    except (InvalidInput, NotFound) as error:
        unit.rollback()
        return _page(error=error_text(error), in_review=reference, note=form.note.data or ""), error.status
    return redirect(url_for("console.payments_attention"), 303)


def _page(**shown):
    shown.setdefault("failed_refund", None)
    shown.setdefault("in_review", None)
    return render_template("console/payments.html", attention=payments_needing_attention(uow(), principal()),
                           refund_failure=failure_message, form=ResolutionForm(), **shown)
