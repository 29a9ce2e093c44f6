"""The claim operations in the OpenAPI document."""
from __future__ import annotations

from apispec import APISpec

from saas.api import claim_schemas

_REFERENCE = {"name": "reference", "in": "path", "required": True, "description": "The claim's reference, e.g. CL1A2B3C4D5E.",
              "schema": {"type": "string", "maxLength": 16}}
_DOCUMENT = {"name": "document", "in": "path", "required": True, "description": "A document's reference from the claim.",
             "schema": {"type": "string", "maxLength": 24}}
_CSRF = {"name": "X-CSRFToken", "in": "header", "required": True, "description": "The csrf_token from GET /me.",
         "schema": {"type": "string"}}
_FILE = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "document_type"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "PDF, JPEG or PNG (decided by the content), up to 10 MB."},
                   "document_type": {"type": "string", "description": "One of the claim's required_documents codes."}}}}}}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_claim_paths(spec: APISpec, *, secured: list, errors: dict) -> None:
    for name in ("ClaimInput", "ClaimDocument", "Claim", "ClaimList"):
        spec.components.schema(name, schema=getattr(claim_schemas, name))
    invalid = _json("InputError", "What was sent is not valid (the field is named); the message says why, in the caller's language.")
    malformed = _json("Error", "The body is not a JSON object, or the CSRF token is missing or wrong.")
    not_found = _json("Error", "No such claim, policy or document among the caller's.")
    spec.path(path="/claims", operations={
        "get": {"summary": "The caller's claims, newest first, with what each still needs", "security": secured,
                "responses": {"200": _json("ClaimList", "Claims."), **errors}},
        "post": {"summary": "Report a claim on one of the caller's policies; the documents it needs follow",
                 "security": secured, "parameters": [_CSRF],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": "ClaimInput"}}},
                 "responses": {"201": _json("Claim", "The claim, reported."), "400": malformed, "404": not_found,
                               "403": _json("Error", "The policy was not in force, so it cannot pay this claim."),
                               "422": invalid, **errors}}})
    spec.path(path="/claims/{reference}", operations={"get": {
        "summary": "One claim: its timeline (with decision reasons), documents supplied and missing", "security": secured,
        "parameters": [_REFERENCE],
        "responses": {"200": _json("Claim", "The claim."), "404": not_found, **errors}}})
    spec.path(path="/claims/{reference}/withdraw", operations={"post": {
        "summary": "Withdraw a claim nobody has approved or decided yet; it stops blocking servicing",
        "security": secured, "parameters": [_REFERENCE, _CSRF],
        "responses": {"200": _json("Claim", "The claim, withdrawn."), "400": malformed, "404": not_found,
                      "422": _json("InputError", "Already approved, decided or withdrawn: nothing changes."),
                      **errors}}})
    spec.path(path="/claims/{reference}/documents", operations={"post": {
        "summary": "Upload one of the claim's documents", "security": secured, "parameters": [_REFERENCE, _CSRF],
        "requestBody": _FILE,
        "responses": {"201": _json("ClaimDocument", "Stored."), "400": malformed, "404": not_found,
                      "413": _json("Error", "The request is larger than 20 MB."),
                      "422": _json("InputError", "Empty, too large, not a PDF, JPEG or PNG by its content, not a "
                                                 "document this claim needs, or the claim is decided. Nothing is stored."),
                      **errors}}})
    spec.path(path="/claims/{reference}/documents/{document}", operations={"get": {
        "summary": "Download a document of the claim", "security": secured, "parameters": [_REFERENCE, _DOCUMENT],
        "responses": {"200": {"description": "The file, as an attachment.", "content": {
            media: {"schema": {"type": "string", "format": "binary"}} for media in claim_schemas.TYPES}},
            "303": {"description": "Where the portal keeps documents in S3: a presigned link, valid for five "
                                   "minutes, that downloads the file as an attachment.",
                    "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}}},
            "404": not_found, **errors}}, "delete": {
        "summary": "Remove a document sent by mistake, while the claim still waits for documents or review",
        "security": secured, "parameters": [_REFERENCE, _DOCUMENT, _CSRF],
        "responses": {"200": _json("Claim", "The claim, without that document."), "404": not_found,
                      "422": _json("InputError", "The claim is being decided: its documents stay."), **errors}}})
