"""The safety operations in the OpenAPI document."""
from __future__ import annotations

from apispec import APISpec

from saas.api import security_schemas

_CSRF = {"name": "X-CSRFToken", "in": "header", "required": True, "description": "The csrf_token from GET /me.",
         "schema": {"type": "string"}}
_POSITION = {"name": "position", "in": "path", "required": True, "description": "The account's place in GET /bank-accounts.",
             "schema": {"type": "integer", "minimum": 1}}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_security_paths(spec: APISpec, *, secured: list, errors: dict) -> None:
    for name in ("BankAccountList", "RemovedBankAccount", "MoneyFreeze", "HeldPayoutList"):
        spec.components.schema(name, schema=getattr(security_schemas, name))
    spec.path(path="/bank-accounts", operations={"get": {
        "summary": "The caller's bank accounts, by place", "security": secured,
        "responses": {"200": _json("BankAccountList", "Bank accounts."), **errors}}})
    spec.path(path="/bank-accounts/{position}", operations={"delete": {
        "summary": "Remove a bank account no policy collects from, no claim pays to and no open request names",
        "security": secured, "parameters": [_POSITION, _CSRF],
        "responses": {"200": _json("RemovedBankAccount", "Removed."), "400": _json("Error", "The CSRF token is wrong."),
                      "404": _json("Error", "No such account among the caller's."),
                      "422": _json("InputError", "The account is in use; the message says by what."), **errors}}})
    spec.path(path="/held-payouts", operations={"get": {
        "summary": "Payouts held because they go to a bank account added lately (cancel: DELETE /requests/{reference})",
        "security": secured, "responses": {"200": _json("HeldPayoutList", "Held payouts, soonest first."), **errors}}})
    spec.path(path="/money-freeze", operations={
        "get": {"summary": "Whether online money movements are frozen", "security": secured,
                "responses": {"200": _json("MoneyFreeze", "The freeze."), **errors}},
        "post": {"summary": "Freeze online money movements (only our staff lift it)", "security": secured,
                 "parameters": [_CSRF],
                 "responses": {"200": _json("MoneyFreeze", "Frozen."), "400": _json("Error", "The CSRF token is wrong."),
                               **errors}}})
