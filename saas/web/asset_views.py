"""Net worth (净资产) and the external accounts behind it, for the signed-in policyholder."""
from __future__ import annotations

from dataclasses import asdict

from flask import abort, redirect, render_template, request, url_for

from paas.assets import external
from paas.assets.entry import ACCOUNTS_MAX, EARLIEST_AS_OF, AccountEntry
from paas.assets.net_worth import net_worth as compute_net_worth
from paas.errors import InvalidInput
from saas.auth import policyholder_required, principal
from saas.servicing.form_errors import field_errors, summary
from saas.transaction import platform, read_only, uow
from saas.web import blueprint
from saas.web.allocation_chart import donut
from saas.web.asset_forms import ExternalAccountForm, RemoveForm

_ACCOUNT = "/assets/external/<string(maxlength=16):reference>"


@blueprint.route("/assets")
@policyholder_required
@read_only
def net_worth():
    worth = compute_net_worth(uow(), principal().customer_id)
    chart = donut([(s.category, s.amount) for s in worth.allocation])
    return render_template("web/net_worth.html", worth=worth, chart=chart, accounts_max=ACCOUNTS_MAX)


@blueprint.route("/assets/external/new", methods=["GET", "POST"])
@policyholder_required
def new_external_account():
    if request.method == "GET":
        form = ExternalAccountForm(data={"as_of": platform().clock.today().isoformat()})
        return _form_page(form, reference=None)
    form = _submitted_form()
    try:
        external.add_account(uow(), principal(), _entry(form))
    except InvalidInput as error:
        return _form_page(form, reference=None, error=error), 422
    return redirect(url_for("web.net_worth"), 303)


@blueprint.route(f"{_ACCOUNT}/edit", methods=["GET", "POST"])
@policyholder_required
def edit_external_account(reference: str):
    if request.method == "GET":
        account = external.get_account(uow(), principal().customer_id, reference)
        return _form_page(ExternalAccountForm(data=asdict(account.as_entry())), reference=reference)
    form = _submitted_form()
    try:
        external.update_account(uow(), principal(), reference, **asdict(_entry(form)))
    except InvalidInput as error:
        return _form_page(form, reference=reference, error=error), 422
    return redirect(url_for("web.net_worth"), 303)


@blueprint.get(f"{_ACCOUNT}/remove")
@policyholder_required
@read_only
def confirm_remove_external_account(reference: str):
    account = external.get_account(uow(), principal().customer_id, reference)
    return render_template("web/external_account_remove.html", account=account, form=RemoveForm())


@blueprint.post(f"{_ACCOUNT}/remove")
@policyholder_required
def remove_external_account(reference: str):
    if not RemoveForm().validate_on_submit():
        abort(400)
    external.remove_account(uow(), principal(), reference)
    return redirect(url_for("web.net_worth"), 303)


def _submitted_form() -> ExternalAccountForm:
    form = ExternalAccountForm()
    if not form.validate_on_submit():  # only the CSRF token can fail here
        abort(400)
    return form


def _entry(form: ExternalAccountForm) -> AccountEntry:
    return AccountEntry(**{name: form[name].data or "" for name in ("name", "kind", "institution", "balance", "as_of")})


def _form_page(form: ExternalAccountForm, *, reference: str | None, error: InvalidInput | None = None) -> str:
    return render_template(
        "web/external_account_form.html", form=form, reference=reference,
        error=summary(error) if error else None, error_field=field_errors(error) if error else {},
        today=platform().clock.today(), earliest=EARLIEST_AS_OF,
    )


@blueprint.record_once
def _labels(state) -> None:
    from paas.assets.entry import KIND_LABELS

    state.app.jinja_env.globals.update(account_kind_labels=KIND_LABELS)
