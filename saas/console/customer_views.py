"""Finding a customer and the 360° view, with personal data masked unless revealed."""
from __future__ import annotations

from flask import abort, render_template, request

from paas.security import tiers
from paas.customers.overview import customer_overview
from paas.customers.reveal import REVEALABLE, reveal_field
from paas.customers.search import find_customers
from paas.errors import InvalidInput, NotFound
from saas.auth import client_address, principal, staff_required
from saas.console import blueprint
from saas.console.forms import RevealForm
from saas.i18n import error_text
from saas.transaction import uow


@blueprint.route("/")
@staff_required
def home():
    query = request.args.get("q", "")
    matches, error = None, None
    if query:
        try:
            matches = find_customers(uow(), principal(), query)
        except InvalidInput as exc:
            error = error_text(exc)
    status = 422 if error else 200
    return render_template("console/search.html", query=query[:40], matches=matches, error=error), status


@blueprint.route("/customers/<string(maxlength=20):customer_number>")
@staff_required
def customer(customer_number: str):
    overview = customer_overview(uow(), principal(), customer_number)
    return render_template("console/customer.html", c=overview, form=RevealForm(), revealed=None, error=None)


@blueprint.record_once
def _tier_words(state) -> None:
    # Globals, not a context processor: one of those is called at every render of every page.
    state.app.jinja_env.globals.update(tier_labels=tiers.TIER_LABELS, tier_proofs=tiers.PROOF_LABELS)


@blueprint.route("/customers/<string(maxlength=20):customer_number>/reveal", methods=["POST"])
@staff_required
def reveal(customer_number: str):
    form = RevealForm()
    if not form.validate_on_submit():
        abort(400)
    field = form.field.data or ""
    bank_account = _int_or_none(form.bank_account.data)
    unit = uow()
    revealed, error = None, None
    try:
        value = reveal_field(
            unit, principal(), customer_number, field, form.reason.data or "",
            bank_account=bank_account, address=client_address(),
        )
        revealed = {"field": field, "bank_account": bank_account, "value": value, "label": REVEALABLE[field]}
    except InvalidInput as exc:
        error = error_text(exc)
    except NotFound:
        abort(404)
    overview = customer_overview(unit, principal(), customer_number)
    page = render_template("console/customer.html", c=overview, form=RevealForm(), revealed=revealed, error=error,
                           error_field=field)
    return page, (422 if error else 200)


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 10 else None
