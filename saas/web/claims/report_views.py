"""The policyholder's claims: the list, and reporting a new one on one of their policies (only
the kinds of claim the policy covers are offered; the others say why not)."""
from __future__ import annotations

from collections.abc import Mapping

from flask import abort, redirect, render_template, request, url_for

from paas.claims import views
from paas.claims.choices import ReportChoices, report_choices
from paas.claims.entry import ClaimEntry, report_entry
from paas.errors import InvalidInput, NotPermitted
from paas.policies.queries import asset_sheet
from paas.security import tiers
from saas.auth import policyholder_required, principal
from saas.i18n import current_locale, error_text
from saas.servicing.form_errors import field_errors, summary
from saas.transaction import read_only, uow
from saas.web import blueprint
from saas.web.claims.forms import ReportForm

_TEXT_MAX = 2100  # a little over the longest account of what happened, so the service's message applies


@blueprint.get("/claims")
@policyholder_required
@read_only
def claims():
    return render_template("web/claims/list.html", claims=views.my_claims(uow(), principal()))


@blueprint.get("/claims/new")
@policyholder_required
@read_only
def new_claim():
    number = request.args.get("policy", "")[:32]
    if not number:
        sheet = asset_sheet(uow(), principal().customer_id)
        return render_template("web/claims/choose_policy.html", policies=sheet.policies, lang=current_locale())
    return _form_page(report_choices(uow(), principal(), number), values={})


@blueprint.post("/claims/new")
@policyholder_required
def report_claim():
    if not ReportForm().validate_on_submit():
        abort(400)
    entry = _entry(request.form)
    unit = uow()
    try:
        claim = report_entry(unit, principal(), entry)
    except InvalidInput as error:
        unit.rollback()  # a new payee account typed with this attempt is not kept
        choices = report_choices(unit, principal(), entry.policy_number)
        return _form_page(choices, values=entry.__dict__, error=summary(error),
                          error_field=field_errors(error)), 422
    except NotPermitted as error:  # e.g. payouts locked until the account can transact (paas.security.tiers)
        unit.rollback()
        choices = report_choices(unit, principal(), entry.policy_number)
        return _form_page(choices, values=entry.__dict__, error=error_text(error)), 403
    return redirect(url_for("web.claim", reference=claim.reference), 303)


def _entry(form: Mapping[str, str]) -> ClaimEntry:
    return ClaimEntry(**{name: (form.get(name) or "")[:_TEXT_MAX] for name in ClaimEntry.__dataclass_fields__})


def _form_page(choices: ReportChoices, *, values: Mapping[str, str], error: str | None = None,
               error_field: dict[str, str] | None = None):
    """``error_field``: each field at fault -> its message (all shown at once)."""
    return render_template("web/claims/new.html", c=choices, values=values, form=ReportForm(), error=error,
                           error_field=error_field or {}, lang=current_locale(),
                           payout_lock=tiers.payout_lock(uow(), principal()))
