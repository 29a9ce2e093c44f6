"""External accounts and net worth for the signed-in policyholder. Cookie-authenticated
changes need the CSRF token (from ``GET /me``) in the ``X-CSRFToken`` header."""
from __future__ import annotations

from dataclasses import asdict
from functools import wraps

from flask import abort, jsonify, request, url_for
from marshmallow import ValidationError

from paas.assets import external
from paas.assets.entry import ACCOUNTS_MAX, KIND_LABELS, AccountEntry
from paas.assets.net_worth import net_worth as compute_net_worth
from paas.errors import N_, DomainError, InvalidInput
from paas.money import CURRENCY
from saas.api import blueprint
from saas.api.asset_schemas import UNKNOWN, ExternalAccount, ExternalAccountInput, ExternalAccountList, NetWorth
from saas.auth import principal
from saas.i18n import error_text, gettext
from saas.servicing import form_errors
from saas.transaction import read_only, uow

_ACCOUNT = "/external-accounts/<string(maxlength=16):reference>"
NOT_AN_OBJECT = N_("Send the account as a JSON object (Content-Type: application/json).")
_FIELD_NAME_MAX = 40  # an unknown key is echoed back: keep it short


def _policyholder():
    who = principal()
    if who is None:
        abort(401)
    if not who.is_policyholder:
        abort(403)
    return who


def reports_invalid_input(view):
    """A 422 that names the field at fault (the app-wide error handler has no field)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except InvalidInput as error:
            return jsonify({"error": {"code": error.code, "message": error_text(error), "field": error.field,
                                      "errors": form_errors.as_json(error)}}), 422
    return wrapper


def _typed_input() -> dict[str, str]:
    """The body's fields as text. Missing fields come through blank, so the service's own
    checks (and messages) apply to them."""
    body = request.get_json(silent=True)
    if body is None:  # not JSON at all, or malformed
        raise DomainError(NOT_AN_OBJECT)
    try:
        loaded = ExternalAccountInput().load(body, partial=True)
    except ValidationError as error:
        raise _input_error(error.messages) from None
    return {name: value or "" for name, value in loaded.items()}


def _input_error(messages: dict) -> InvalidInput:
    name, problems = next(iter(messages.items()))
    if name == "_schema":
        return InvalidInput(NOT_AN_OBJECT)
    name = str(name)[:_FIELD_NAME_MAX]
    if UNKNOWN in problems:
        return InvalidInput(N_("%(name)s is not a field of an external account."), field=name, name=name)
    return InvalidInput(N_("Send %(name)s as a JSON string."), field=name, name=name)


def _account_data(line: external.ExternalAccountLine) -> dict:
    return {**asdict(line), "kind_label": gettext(KIND_LABELS[line.kind])}


def _account(line: external.ExternalAccountLine) -> dict:
    return ExternalAccount().dump(_account_data(line))


@blueprint.get("/external-accounts")
@read_only
def external_accounts():
    accounts = external.list_accounts(uow(), _policyholder().customer_id)
    body = {"currency": CURRENCY, "limit": ACCOUNTS_MAX, "accounts": [_account_data(a) for a in accounts]}
    return jsonify(ExternalAccountList().dump(body))


@blueprint.post("/external-accounts")
@reports_invalid_input
def add_external_account():
    who = _policyholder()
    account = external.add_account(uow(), who, AccountEntry(**_typed_input()))
    location = url_for("api.external_account", reference=account.reference)
    return jsonify(_account(account)), 201, {"Location": location}


@blueprint.get(_ACCOUNT)
@read_only
def external_account(reference: str):
    return jsonify(_account(external.get_account(uow(), _policyholder().customer_id, reference)))


@blueprint.patch(_ACCOUNT)
@reports_invalid_input
def change_external_account(reference: str):
    who = _policyholder()
    return jsonify(_account(external.update_account(uow(), who, reference, **_typed_input())))


@blueprint.delete(_ACCOUNT)
def remove_external_account(reference: str):
    external.remove_account(uow(), _policyholder(), reference)
    return "", 204


@blueprint.get("/net-worth")
@read_only
def net_worth():
    worth = compute_net_worth(uow(), _policyholder().customer_id)
    allocation = [{**asdict(s), "label": gettext(s.label)} for s in worth.allocation]
    body = {
        "currency": CURRENCY, "total_assets": worth.total_assets, "net_worth": worth.net_worth,
        "insurance_cash_value": worth.insurance_cash_value, "insurance_accumulated": worth.insurance_accumulated,
        "insurance_debt": worth.insurance_debt, "allocation": allocation,
    }
    return jsonify(NetWorth().dump(body))
