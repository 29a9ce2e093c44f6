"""The products and quotes operations in the OpenAPI document (no sign-in needed)."""
from __future__ import annotations

from apispec import APISpec

from saas.api import product_schemas

_CODE = {
    "name": "code", "in": "path", "required": True, "description": "The product code, e.g. WLPAR.",
    "schema": {"type": "string", "maxLength": 32},
}
_LANGUAGE = {
    "name": "Accept-Language", "in": "header", "required": False,
    "description": "zh (the default) or en: names, labels and messages come back in it.", "schema": {"type": "string"},
}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_product_paths(spec: APISpec) -> None:
    for name in ("ProductList", "ProductDetail", "QuoteInput", "Quote", "QuoteError"):
        spec.components.schema(name, schema=getattr(product_schemas, name))
    spec.path(path="/products", operations={"get": {
        "summary": "Every product on sale: who can buy it and the choices it offers", "security": [],
        "parameters": [_LANGUAGE], "responses": {"200": _json("ProductList", "The products on sale.")}}})
    spec.path(path="/products/{code}", operations={"get": {
        "summary": "One product in full: dividend options, survival benefits, funds", "security": [],
        "parameters": [_CODE, _LANGUAGE],
        "responses": {"200": _json("ProductDetail", "The product."), "404": _json("Error", "No product with that code is on sale.")}}})
    spec.path(path="/quotes", operations={"post": {
        "summary": "Price a cover: premium per payment and per year, total premiums, guaranteed cash values",
        "description": "Needs no sign-in and no CSRF token: a quote changes nothing.", "security": [],
        "parameters": [_LANGUAGE],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "QuoteInput"}}},
        "responses": {"200": _json("Quote", "The quote."),
                      "422": _json("QuoteError", "An input is not valid: the message names the limit, field names the input.")}}})
