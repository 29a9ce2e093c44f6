"""Premiums due and paying them online, for the signed-in policyholder. The payment itself
happens on the provider's page at ``checkout_url``; poll ``GET /payments/{reference}``."""
from __future__ import annotations

from dataclasses import asdict

from flask import jsonify, request, url_for
from marshmallow import ValidationError

from paas.billing import payments, receipts
from paas.billing.dues import open_dues
from paas.billing.review import in_review_message
from paas.billing.orders import STATUS_LABELS, failure_label
from paas.errors import N_, InvalidInput
from paas.money import CURRENCY
from saas.api import blueprint
from saas.api.external_account_endpoints import _policyholder, reports_invalid_input
from saas.api.payment_schemas import DueList, Payment, PaymentInput, PaymentList
from saas.i18n import current_locale, gettext
from saas.payment_links import return_urls
from saas.transaction import platform, read_only, uow

_PAYMENT = "/payments/<string(maxlength=24):reference>"


@blueprint.get("/dues")
@read_only
def dues():
    today, locale = platform().clock.today(), current_locale()
    lines = [{**asdict(d), "product_name": d.product_name(locale), "grace_ends": d.grace_ends, "lapses_on": d.lapses_on,
              "overdue": d.overdue(today), "in_review": _in_review(d)} for d in open_dues(uow(), _policyholder().customer_id)]
    return jsonify(DueList().dump({"currency": CURRENCY, "dues": lines}))


@blueprint.post("/payments")
@reports_invalid_input
def start_payment():
    who = _policyholder()
    try:
        body = PaymentInput().load(request.get_json(silent=True) or {})
    except ValidationError:
        raise InvalidInput(N_("Send {\"dues\": [{\"policy_number\": ..., \"due_date\": \"YYYY-MM-DD\"}, ...]}."),
                           field="dues") from None
    selections = [(choice["policy_number"], choice["due_date"]) for choice in body["dues"]]
    started = payments.start_payment(uow(), who, selections, return_urls())
    view = receipts.payment_view(uow(), who.customer_id, started.reference)
    location = url_for("api.payment", reference=started.reference)
    return jsonify(_payment(view)), 200 if started.reused else 201, {"Location": location}


@blueprint.get("/payments")
@read_only
def payment_list():
    history = receipts.payment_history(uow(), _policyholder().customer_id)
    return jsonify(PaymentList().dump({"payments": [_payment_data(p) for p in history]}))


@blueprint.get(_PAYMENT)
@read_only
def payment(reference: str):
    return jsonify(_payment(receipts.payment_view(uow(), _policyholder().customer_id, reference)))


def _in_review(due) -> dict | None:
    if due.in_review is None:
        return None
    message, params = in_review_message(due)
    return {**asdict(due.in_review), "message": gettext(message, **params)}


def _payment_data(view: receipts.PaymentView) -> dict:
    failed = view.status in ("failed", "expired", "needs_review")
    return {**asdict(view), "status_label": gettext(STATUS_LABELS[view.status]),
            "failure_message": gettext(failure_label(view.failure_reason)) if failed else None}


def _payment(view: receipts.PaymentView) -> dict:
    return Payment().dump(_payment_data(view))
