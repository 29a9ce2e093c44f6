"""The dues and payment operations in the OpenAPI document."""
from __future__ import annotations

from apispec import APISpec

from saas.api import payment_schemas

_REFERENCE = {
    "name": "reference", "in": "path", "required": True,
    "description": "The payment's reference, e.g. Y0000123456784.", "schema": {"type": "string", "maxLength": 24},
}
_CSRF = {
    "name": "X-CSRFToken", "in": "header", "required": True,
    "description": "The csrf_token from GET /me.", "schema": {"type": "string"},
}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_payment_paths(spec: APISpec, *, secured: list, errors: dict) -> None:
    for name in ("DueList", "PaymentInput", "Payment", "PaymentList"):
        spec.components.schema(name, schema=getattr(payment_schemas, name))
    spec.path(path="/dues", operations={"get": {
        "summary": "Premiums the caller can pay now, with grace period end and lapse date", "security": secured,
        "responses": {"200": _json("DueList", "Open premiums, oldest first within each policy."), **errors}}})
    spec.path(path="/payments", operations={
        "get": {"summary": "The caller's online payments, newest first", "security": secured,
                "responses": {"200": _json("PaymentList", "Payments."), **errors}},
        "post": {"summary": "Start paying premiums: returns the provider's checkout_url to send the customer to",
                 "security": secured, "parameters": [_CSRF],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": "PaymentInput"}}},
                 "responses": {
                     "201": _json("Payment", "A new payment, pending."),
                     "200": _json("Payment", "A payment already paying exactly these premiums."),
                     "400": _json("Error", "The CSRF token is missing or wrong."),
                     "422": _json("InputError", "The premiums chosen cannot be paid (the message says why)."),
                     "503": _json("Error", "The payment provider did not answer; nothing was charged."),
                     **errors}},
    })
    spec.path(path="/payments/{reference}", operations={"get": {
        "summary": "One payment: pending, paid (with the premiums credited) or not paid", "security": secured,
        "parameters": [_REFERENCE],
        "responses": {"200": _json("Payment", "The payment."), "404": _json("Error", "No such payment among the caller's."),
                      **errors}}})
