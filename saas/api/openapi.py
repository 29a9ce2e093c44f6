"""The OpenAPI 3 document, built by apispec from the response schemas."""
from __future__ import annotations

from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import jsonify

from saas.api import blueprint, schemas
from saas.api.account_paths import add_account_paths
from saas.api.asset_paths import add_asset_paths
from saas.api.application_endpoints import add_application_paths
from saas.api.claim_paths import add_claim_paths
from saas.api.notice_paths import add_notice_paths
from saas.api.payment_paths import add_payment_paths
from saas.api.product_paths import add_product_paths
from saas.api.security_paths import add_security_paths
from saas.api.servicing_paths import add_servicing_paths

_ERRORS = {
    "401": {"description": "Not signed in.", "content": {"application/json": {"schema": "Error"}}},
    "403": {"description": "Not a policyholder account.", "content": {"application/json": {"schema": "Error"}}},
}
_POLICY_NUMBER = {
    "name": "policy_number",
    "in": "path",
    "required": True,
    "description": "The policy number as printed, e.g. P0000000017.",
    "schema": {"type": "string", "maxLength": 32},
}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@lru_cache(maxsize=1)
def document() -> dict:
    spec = APISpec(
        title="Pinghe Life policyholder API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Policy data for the signed-in policyholder. Amounts are CNY strings to the fen."},
        servers=[{"url": "/api/v1"}],
    )
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "portal_session"})
    for name in ("Error", "Me", "PolicyList", "PolicyDetail"):
        spec.components.schema(name, schema=getattr(schemas, name))
    secured = [{"session": []}]
    spec.path(path="/me", operations={"get": {
        "summary": "Who is signed in, and the CSRF token for changes", "security": secured,
        "responses": {"200": _ok("Me", "The signed-in account."), "401": _ERRORS["401"]}}})
    spec.path(path="/policies", operations={"get": {
        "summary": "The asset sheet: every policy the caller owns, with totals", "security": secured,
        "responses": {"200": _ok("PolicyList", "Policies owned by the caller."), **_ERRORS}}})
    spec.path(path="/policies/{policy_number}", operations={"get": {
        "summary": "One policy: parties, beneficiaries, coverage, premium history", "security": secured,
        "parameters": [_POLICY_NUMBER],
        "responses": {
            "200": _ok("PolicyDetail", "The policy."),
            "404": {"description": "No such policy among the caller's.", "content": {"application/json": {"schema": "Error"}}},
            **_ERRORS,
        }}})
    add_asset_paths(spec, secured=secured, errors=_ERRORS)
    add_payment_paths(spec, secured=secured, errors=_ERRORS)
    add_servicing_paths(spec, secured=secured, errors=_ERRORS)
    add_claim_paths(spec, secured=secured, errors=_ERRORS)
    add_application_paths(spec, secured=secured, errors=_ERRORS)
    add_security_paths(spec, secured=secured, errors=_ERRORS)
    add_notice_paths(spec, secured=secured, errors=_ERRORS)
    add_product_paths(spec)
    add_account_paths(spec, secured=secured, errors=_ERRORS)
    return spec.to_dict()


@blueprint.get("/openapi.json")
def openapi_json():
    return jsonify(document())
