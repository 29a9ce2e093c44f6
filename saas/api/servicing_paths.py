"""The servicing operations in the OpenAPI document."""
from __future__ import annotations

from apispec import APISpec

from saas.api import servicing_schemas

_POLICY = {"name": "policy_number", "in": "path", "required": True, "description": "The policy number, e.g. P0000000017.",
           "schema": {"type": "string", "maxLength": 32}}
_KIND = {"name": "kind", "in": "path", "required": True, "description": "A service's kind, from GET .../services.",
         "schema": {"type": "string", "maxLength": 32}}
_REFERENCE = {"name": "reference", "in": "path", "required": True, "description": "The request's reference, e.g. SR1A2B3C4D5E.",
              "schema": {"type": "string", "maxLength": 16}}
_CSRF = {"name": "X-CSRFToken", "in": "header", "required": True, "description": "The csrf_token from GET /me.",
         "schema": {"type": "string"}}
_IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string", "maxLength": 60},
                "description": "Chosen by the caller, new for each request: sending the same key again returns the "
                               "request made the first time instead of making another."}
_INPUTS = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "additionalProperties": True,
    "description": "The service's fields by name (see GET .../services): values as strings, bool fields as true/false "
                   "or \"on\", beneficiaries as a list of objects."}}}}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_servicing_paths(spec: APISpec, *, secured: list, errors: dict) -> None:
    for name in ("ServiceList", "ServicePreview", "ServiceRequest", "ServiceRequestList", "ConfirmInput", "Document"):
        spec.components.schema(name, schema=getattr(servicing_schemas, name))
    invalid = _json("InputError", "What was sent is not valid; the message says why, in the caller's language.")
    malformed = _json("Error", "The body is not a JSON object, a header is missing, or the CSRF token is wrong.")
    not_found = _json("Error", "No such policy or request among the caller's, or no such service.")
    not_now = _json("Error", "The service is not available for this policy now (the message says why).")
    spec.path(path="/policies/{policy_number}/services", operations={"get": {
        "summary": "Every servicing transaction, with whether it is available now and, if not, why",
        "security": secured, "parameters": [_POLICY],
        "responses": {"200": _json("ServiceList", "The services of the policy."), "404": not_found, **errors}}})
    spec.path(path="/policies/{policy_number}/services/{kind}/preview", operations={"post": {
        "summary": "Check the fields and show what would change; nothing is kept", "security": secured,
        "parameters": [_POLICY, _KIND, _CSRF], "requestBody": _INPUTS,
        "responses": {"200": _json("ServicePreview", "What would change."), "400": malformed, "403": not_now,
                      "404": not_found, "422": invalid, **errors}}})
    spec.path(path="/policies/{policy_number}/services/{kind}", operations={"post": {
        "summary": "Submit a request: applied at once, waiting for the SMS code (awaiting_code) or for a colleague",
        "security": secured, "parameters": [_POLICY, _KIND, _CSRF, _IDEMPOTENCY], "requestBody": _INPUTS,
        "responses": {"201": _json("ServiceRequest", "The request (the same one again for a repeated Idempotency-Key)."),
                      "400": malformed, "403": not_now, "404": not_found, "422": invalid, **errors}}})
    spec.path(path="/requests", operations={"get": {
        "summary": "The caller's servicing requests, newest first", "security": secured,
        "parameters": [{"name": "policy", "in": "query", "required": False, "schema": {"type": "string"},
                        "description": "Only the requests of this policy."}],
        "responses": {"200": _json("ServiceRequestList", "Requests."), **errors}}})
    spec.path(path="/requests/{reference}", operations={
        "get": {"summary": "One request with its preview and outcome", "security": secured, "parameters": [_REFERENCE],
                "responses": {"200": _json("ServiceRequest", "The request."), "404": not_found, **errors}},
        "delete": {"summary": "Cancel a request still waiting for its code or for a colleague", "security": secured,
                   "parameters": [_REFERENCE, _CSRF],
                   "responses": {"200": _json("ServiceRequest", "The cancelled request."), "400": malformed,
                                 "404": not_found, "422": invalid, **errors}}})
    spec.path(path="/requests/{reference}/confirm", operations={"post": {
        "summary": "Confirm a request with the code sent by SMS (5 wrong codes end it)", "security": secured,
        "parameters": [_REFERENCE, _CSRF],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "ConfirmInput"}}},
        "responses": {"200": _json("ServiceRequest", "The request, applied or waiting for a colleague."),
                      "400": malformed, "404": not_found,
                      "409": _json("InputError", "The request has ended (expired, cancelled or declined): start again."),
                      "422": _json("InputError", "A wrong code (code wrong_code, with attempts_left) or one too old "
                                                 "(code_expired: ask for a new one)."),
                      "429": _json("InputError", "Too many wrong codes (code locked): the request has ended."),
                      **errors}}})
    spec.path(path="/requests/{reference}/resend", operations={"post": {
        "summary": "Send a new SMS code (at most 3, a minute apart; the earlier code stops working)",
        "security": secured, "parameters": [_REFERENCE, _CSRF],
        "responses": {"202": _json("ServiceRequest", "The request; the new code is on its way."),
                      "400": malformed, "404": not_found, "422": invalid,
                      "429": _json("Error", "A code was sent less than a minute ago: retry after the given time."),
                      **errors}}})
    spec.path(path="/documents", operations={"post": {
        "summary": "Upload a document (PDF, JPEG or PNG, up to 10 MB) to name in a document field", "security": secured,
        "parameters": [_CSRF],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}, "purpose": {"type": "string", "maxLength": 24}}}}}},
        "responses": {"201": _json("Document", "Stored."), "400": malformed, "413": _json("Error", "Larger than 20 MB."),
                      "422": invalid, **errors}}})
