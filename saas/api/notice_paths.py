"""The notice operations in the OpenAPI document."""
from __future__ import annotations

from apispec import APISpec

from saas.api import notice_schemas

_CSRF = {"name": "X-CSRFToken", "in": "header", "required": True, "description": "The csrf_token from GET /me.",
         "schema": {"type": "string"}}
_ID = {"name": "notice_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
_FILTERS = [
    {"name": "policy", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 20}},
    {"name": "type", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 32}},
]


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_notice_paths(spec: APISpec, *, secured: list, errors: dict) -> None:
    for name in ("NoticeList", "NoticeDetail", "NoticePreferences"):
        spec.components.schema(name, schema=getattr(notice_schemas, name))
    missing = _json("Error", "No such notice among the caller's.")
    spec.path(path="/notices", operations={"get": {
        "summary": "The caller's notices, newest first (filter by policy and type), with the unread count",
        "security": secured, "parameters": _FILTERS, "responses": {"200": _json("NoticeList", "Notices."), **errors}}})
    spec.path(path="/notices/{notice_id}", operations={"get": {
        "summary": "One notice with its signed data (reading it marks it read)", "security": secured,
        "parameters": [_ID], "responses": {"200": _json("NoticeDetail", "The notice."), "404": missing, **errors}}})
    spec.path(path="/notices/{notice_id}/pdf", operations={"get": {
        "summary": "The notice as a PAdES-signed PDF", "security": secured, "parameters": [_ID],
        "responses": {"200": {"description": "The PDF.", "content": {"application/pdf": {}}}, "404": missing, **errors}}})
    spec.path(path="/notice-preferences", operations={
        "get": {"summary": "How each notice type reaches the caller, per channel", "security": secured,
                "responses": {"200": _json("NoticePreferences", "The choices."), **errors}},
        "put": {"summary": "Choose the channels per type: every changeable (type, channel) not listed is off",
                "security": secured, "parameters": [_CSRF],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["wanted"], "properties": {"wanted": {
                        "type": "array", "maxItems": 100, "items": {"type": "string", "maxLength": 48}}}}}}},
                "responses": {"200": _json("NoticePreferences", "Saved."), "400": _json("Error", "The CSRF token is wrong."),
                              "422": _json("InputError", "A choice that does not exist or lacks its contact."),
                              **errors}}})
