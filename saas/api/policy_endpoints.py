"""Policy data for the signed-in owner."""
from __future__ import annotations

from flask import abort, jsonify
from flask_wtf.csrf import generate_csrf

from paas.money import CURRENCY
from paas.policies import queries
from paas.policies.detail import policy_detail
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


def _valuation_dump(detail) -> dict:
    return {
        "dividends": [d.__dict__ for d in detail.dividends],
        "survival_benefits": [b.__dict__ for b in detail.survival_benefits],
        "funds": [{**f.__dict__, "name": f.name(current_locale()), "value": f.value} for f in detail.funds],
    }


@blueprint.get("/me")
def me():
    who = principal()
    if who is None:
        abort(401)
    body = {"display_name": who.display_name, "locale": current_locale(), "csrf_token": generate_csrf()}
    return jsonify(schemas.Me().dump(body))


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
            "total_cash_value": sheet.total_cash_value,
            "total_accumulated": sheet.total_accumulated,
            "total_debt": sheet.total_debt,
        },
    }
    return jsonify(schemas.PolicyList().dump(body))


@blueprint.get("/policies/<string(maxlength=32):policy_number>")
def policy(policy_number: str):
    who = _owner()
    detail = policy_detail(uow(), who.customer_id, policy_number)
    body = {
        **detail.__dict__,
        "policy": _summary(detail.summary, current_locale()),
        "beneficiaries": [b.__dict__ for b in detail.beneficiaries],
        "premiums": [p.__dict__ for p in detail.premiums],
        "owner": detail.owner.__dict__,
        "insured": detail.insured.__dict__,
        "total_premiums_paid": detail.total_premiums_paid,
        **_valuation_dump(detail),
    }
    return jsonify(schemas.PolicyDetail().dump(body))
