"""The external-account and net-worth operations in the OpenAPI document."""
from __future__ import annotations

from apispec import APISpec

from saas.api import asset_schemas

_REFERENCE = {
    "name": "reference", "in": "path", "required": True,
    "description": "The account's reference, as returned when it was added.",
    "schema": {"type": "string", "maxLength": 16},
}
_CSRF = {
    "name": "X-CSRFToken", "in": "header", "required": True,
    "description": "The csrf_token from GET /me.", "schema": {"type": "string"},
}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_asset_paths(spec: APISpec, *, secured: list, errors: dict) -> None:
    spec.components.schema("ExternalAccountInput", schema=asset_schemas.ExternalAccountInput)
    spec.components.schema("ExternalAccountChanges", schema=asset_schemas.ExternalAccountInput(partial=True))
    for name in ("ExternalAccount", "ExternalAccountList", "NetWorth", "InputError"):
        spec.components.schema(name, schema=getattr(asset_schemas, name))
    not_found = _json("Error", "No such account among the caller's.")
    invalid = _json("InputError", "A field is not valid; the message says why, in the caller's language.")
    malformed = _json("Error", "The body is not JSON, or the CSRF token is missing or wrong.")
    spec.path(path="/external-accounts", operations={
        "get": {"summary": "Accounts the caller holds elsewhere (bank, securities, fund, pension, other)",
                "security": secured,
                "responses": {"200": _json("ExternalAccountList", "The caller's external accounts."), **errors}},
        "post": {"summary": "Add an external account (at most 30)", "security": secured, "parameters": [_CSRF],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": "ExternalAccountInput"}}},
                 "responses": {"201": _json("ExternalAccount", "Added."), "400": malformed, "422": invalid, **errors}},
    })
    spec.path(path="/external-accounts/{reference}", operations={
        "get": {"summary": "One external account", "security": secured, "parameters": [_REFERENCE],
                "responses": {"200": _json("ExternalAccount", "The account."), "404": not_found, **errors}},
        "patch": {"summary": "Change some fields of an external account", "security": secured,
                  "parameters": [_REFERENCE, _CSRF],
                  "requestBody": {"required": True, "content": {"application/json": {"schema": "ExternalAccountChanges"}}},
                  "responses": {"200": _json("ExternalAccount", "The changed account."), "400": malformed,
                                "404": not_found, "422": invalid, **errors}},
        "delete": {"summary": "Remove an external account", "security": secured, "parameters": [_REFERENCE, _CSRF],
                   "responses": {"204": {"description": "Removed."}, "400": malformed, "404": not_found, **errors}},
    })
    spec.path(path="/net-worth", operations={"get": {
        "summary": "Net worth: insurance values plus external accounts, less policy loans, with the asset allocation",
        "security": secured, "responses": {"200": _json("NetWorth", "The caller's net worth."), **errors}}})
