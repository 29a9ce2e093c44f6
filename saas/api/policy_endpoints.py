"""Policy data for the signed-in owner."""
from __future__ import annotations

from flask import abort, jsonify

from paas.money import CURRENCY
from paas.policies import queries
from saas.api import blueprint, schemas
from saas.auth import principal
from saas.i18n import current_locale
from saas.transaction import uow


def _owner():
    who = principal()
    if who is None:
        abort(401)
    if not who.is_policyholder:
        abort(403)
    return who


def _summary(p: queries.PolicySummary, locale: str) -> dict:
    return {**p.__dict__, "product_name": p.product_name(locale), "annual_premium": p.annual_premium}


@blueprint.get("/me")
def me():
    who = principal()
    if who is None:
        abort(401)
    return jsonify(schemas.Me().dump({"display_name": who.display_name, "locale": current_locale()}))


@blueprint.get("/policies")
def policies():
    who = _owner()
    sheet = queries.asset_sheet(uow(), who.customer_id)
    locale = current_locale()
    body = {
        "currency": CURRENCY,
        "policies": [_summary(p, locale) for p in sheet.policies],
        "totals": {
            "policies_in_force": sheet.in_force_count,
            "total_cover": sheet.total_cover,
            "total_annual_premium": sheet.total_annual_premium,
        },
    }
    return jsonify(schemas.PolicyList().dump(body))


@blueprint.get("/policies/<string(maxlength=32):policy_number>")
def policy(policy_number: str):
    who = _owner()
    detail = queries.policy_detail(uow(), who.customer_id, policy_number)
    body = {
        **detail.__dict__,
        "policy": _summary(detail.summary, current_locale()),
        "beneficiaries": [b.__dict__ for b in detail.beneficiaries],
        "premiums": [p.__dict__ for p in detail.premiums],
        "owner": detail.owner.__dict__,
        "insured": detail.insured.__dict__,
        "total_premiums_paid": detail.total_premiums_paid,
    }
    return jsonify(schemas.PolicyDetail().dump(body))
