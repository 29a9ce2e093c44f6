"""Opening online service, signing in and the account's settings in the OpenAPI document."""
from __future__ import annotations

from apispec import APISpec

from saas.api import account_schemas

_CSRF = {"name": "X-CSRFToken", "in": "header", "required": True,
         "description": "The csrf_token from GET /csrf-token (anonymous steps) or GET /me.", "schema": {"type": "string"}}
_SESSION = {"name": "session_id", "in": "path", "required": True, "description": "The id from GET /sessions.",
            "schema": {"type": "integer", "minimum": 1}}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    props = {name: {"type": "string", "maxLength": 256} for name in required + optional}
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": props, "required": list(required)}}}}


_REFUSED = {"400": _json("Error", "Not a JSON object, or the CSRF token is wrong."),
            "422": _json("InputError", "What was typed is not right (the same words for every way a code is wrong)."),
            "429": _json("Error", "Too many attempts; Retry-After says when to try again.")}


def _step(spec: APISpec, path: str, summary: str, required: tuple[str, ...], ok: tuple[str, str, str],
          optional: tuple[str, ...] = (), extra: dict | None = None) -> None:
    status, schema, description = ok
    spec.path(path=path, operations={"post": {
        "summary": summary, "parameters": [_CSRF], "requestBody": _body(required, optional),
        "responses": {status: _json(schema, description), **_REFUSED, **(extra or {})}}})


def add_account_paths(spec: APISpec, *, secured: list, errors: dict) -> None:
    for name in ("CsrfToken", "CodeSent", "ResetStarted", "SignedIn", "SecondStep", "Done", "AuthenticatorSetup", "RecoveryCodes", "Tier", "Account", "Session", "SessionList"):
        spec.components.schema(name, schema=getattr(account_schemas, name))
    spec.path(path="/csrf-token", operations={"get": {
        "summary": "A CSRF token for the anonymous steps below", "responses": {"200": _json("CsrfToken", "The token.")}}})
    sent = ("202", "CodeSent", "The same answer whether or not the details matched.")
    signed = ("200", "SignedIn", "Signed in; the session cookie is set.")
    forbidden = {"403": _json("Error", "No mobile on file: call or visit to open online service.")}
    _step(spec, "/enrolment", "Open online service: name, ID number and a policy number; a code to the mobile on file",
          ("name", "id_number", "policy_number"), sent, extra=forbidden)
    _step(spec, "/enrolment/finish", "The code, a password and an optional e-mail (confirmed by a link)",
          ("handle", "code", "password"), signed, optional=("email",))
    _step(spec, "/registration", "A visitor without a policy registers a mobile: a code to it", ("mobile",), sent)
    _step(spec, "/registration/finish", "The code and a password", ("handle", "code", "password"), signed)
    _step(spec, "/login/sms", "Sign in by SMS: a code to the mobile on file", ("mobile",), sent)
    _step(spec, "/login/sms/finish", "The code", ("handle", "code"), signed,
          extra={"202": _json("SecondStep", "The authenticator app is on: its code is needed too.")})
    _step(spec, "/login/authenticator", "The second step: the authenticator app's code or a recovery code",
          ("handle", "code"), signed)
    _step(spec, "/password/forgot", "A code to the mobile on file, or a link to the confirmed e-mail",
          ("identifier",), ("202", "ResetStarted", "The same answer whether or not an account has it."))
    _step(spec, "/password/reset", "The code and a new password; every session ends",
          ("handle", "code", "password"), ("200", "Done", "Changed."))
    spec.path(path="/account", operations={"get": {
        "summary": "The caller's profile (masked), tier and security settings", "security": secured,
        "responses": {"200": _json("Account", "The account."), **errors}}})
    own = {"401": errors["401"], "403": errors["403"]}
    spec.path(path="/account/password", operations={"post": {
        "summary": "Change the password (needs the current one); other sessions end; old contacts are told",
        "security": secured, "parameters": [_CSRF], "requestBody": _body(("current_password", "password")),
        "responses": {"200": _json("Done", "Changed."), **_REFUSED, **own}}})
    spec.path(path="/account/card", operations={"post": {
        "summary": "Verify a bank card by the bank's four-element check: the account can then transact",
        "security": secured, "parameters": [_CSRF], "requestBody": _body(("card_number",)),
        "responses": {"200": _json("Done", "Verified."), **_REFUSED, **own,
                      "503": _json("Error", "The bank's check is not available; nothing changed.")}}})
    spec.path(path="/account/close", operations={"post": {
        "summary": "Close online service (the policies stay)", "security": secured, "parameters": [_CSRF],
        "requestBody": _body(("current_password",)),
        "responses": {"200": _json("Done", "Closed and signed out."), **_REFUSED, **own}}})
    spec.path(path="/account/authenticator", operations={
        "get": {"summary": "A new secret for an authenticator app (nothing is stored yet)", "security": secured,
                "responses": {"200": _json("AuthenticatorSetup", "The secret."), **errors}},
        "post": {"summary": "Turn the app on: the secret, its first code and the current password", "security": secured,
                 "parameters": [_CSRF], "requestBody": _body(("secret", "code", "current_password")),
                 "responses": {"200": _json("RecoveryCodes", "On; the recovery codes, shown once."), **_REFUSED, **own}}})
    spec.path(path="/account/authenticator/off", operations={"post": {
        "summary": "Turn the app off (needs the current password)", "security": secured, "parameters": [_CSRF],
        "requestBody": _body(("current_password",)),
        "responses": {"200": _json("Done", "Off."), **_REFUSED, **own}}})
    spec.path(path="/sessions", operations={"get": {
        "summary": "Where the caller is signed in", "security": secured,
        "responses": {"200": _json("SessionList", "Sessions, latest first."), **errors}}})
    spec.path(path="/sessions/{session_id}", operations={"delete": {
        "summary": "End one of the caller's other sessions", "security": secured, "parameters": [_SESSION, _CSRF],
        "responses": {"200": _json("Done", "Ended."), "404": _json("Error", "No such session among the caller's."),
                      **_REFUSED, **own}}})
    spec.path(path="/sessions/end-others", operations={"post": {
        "summary": "End every session but this one", "security": secured, "parameters": [_CSRF],
        "responses": {"200": _json("Done", "Ended."), "400": _json("Error", "The CSRF token is wrong."), **own}}})
