"""What any request may carry, checked once for every page, console form and API call before a
view reads it, so no form or endpoint has to remember:

* a JSON body no larger and no deeper than any request of ours needs. Python's parser
  recurses: a body nested 2,000 deep overflows the stack (a 500), so depth is counted on
  the raw bytes first and the body refused unparsed (400, or 413 for its size);
* text without control characters, in form fields, query strings, file names and JSON
  strings and keys: PostgreSQL cannot store NUL (a 500), nothing we keep needs the others,
  and lone surrogates cannot be encoded at all. Tab, line feed and carriage return stay (a
  textarea sends CRLF). Refused with 422 naming the field; in a path, 404 (it names nothing).

Webhooks are left alone: their signature is checked on the raw body before anything else."""
from __future__ import annotations

import re
from itertools import accumulate

from flask import Flask, abort, request

from paas.errors import N_, DomainError, InvalidInput

MAX_JSON_BYTES = 256 * 1024
MAX_JSON_DEPTH = 32  # our deepest request body is 3 levels
UNCHECKED_BLUEPRINTS = {"webhooks", "sms_sns"}  # the SNS envelope is verified on its raw body too
# Where to go after signing in or switching language: not text anyone typed, and what reads it
# (saas.web.redirects.safe_next) keeps a path of ours and drops anything else, control
# characters included. Refusing it would lock a person out of the login page a bad link sent
# them to; ignoring it sends them home.
NAVIGATION_FIELDS = {"next"}
_FIELD_NAME_MAX = 40  # a field's name is echoed back: keep it short

TOO_DEEP = N_("What you sent is nested too deeply: at most %(depth)s levels of JSON objects and lists are accepted.")
TOO_LARGE = N_("What you sent is too large: a JSON body may be at most %(size)s KB.")
CONTROL_CHARACTER = N_("%(name)s contains a character that cannot be accepted (a control character). "
                       "Remove it and try again.")

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_STEPS = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _STEPS)


class BodyRefused(DomainError):
    status = 400
    code = "invalid_body"


class BodyTooLarge(DomainError):
    status = 413
    code = "too_large"


def json_depth(raw: bytes) -> int:
    """How deep the JSON text nests, counted without parsing it (brackets inside strings
    do not count). For text that is not JSON the answer is meaningless but harmless."""
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEPS[b] for b in brackets), default=0)


def refuse_control_characters(name: str | None, value: str | None) -> None:
    if value and _FORBIDDEN.search(value):
        shown = _FORBIDDEN.sub("?", name or "")[:_FIELD_NAME_MAX] or "?"
        raise InvalidInput(CONTROL_CHARACTER, field=shown, name=shown)


def check_json_text(value, path: str = "") -> None:
    """Every string and key of a parsed JSON value; ``path`` names where (dues[0].policy_number)."""
    if isinstance(value, str):
        refuse_control_characters(path or "body", value)
    elif isinstance(value, dict):
        for key, item in value.items():
            named = f"{path}.{key}" if path else str(key)
            refuse_control_characters(named, str(key))
            check_json_text(item, named)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            check_json_text(item, f"{path}[{position}]")


def check_request() -> None:
    if request.blueprint in UNCHECKED_BLUEPRINTS:
        return
    if any(isinstance(value, str) and _FORBIDDEN.search(value) for value in (request.view_args or {}).values()):
        abort(404)  # a path with a control character in it names nothing of ours
    # Without a content type Werkzeug parses no body (no form, no files, no JSON): most pages
    # have only their query string to check, and skip building the empty form.
    has_body = bool(request.environ.get("CONTENT_TYPE"))
    if not has_body and not request.environ.get("QUERY_STRING"):
        return  # nothing sent but the path (a plain GET): no query string to parse and check
    if has_body and (None in request.form or None in request.files):
        abort(400)  # a form part whose header did not parse (a CRLF in its name): not a form we can read
    for source in (request.args, request.form) if has_body else (request.args,):
        for name, value in source.items(multi=True):
            refuse_control_characters(name, name)
            if name not in NAVIGATION_FIELDS:
                refuse_control_characters(name, value)
    if not has_body:
        return
    for name, storage in request.files.items(multi=True):
        refuse_control_characters(name, storage.filename or "")
    if request.is_json:
        if (request.content_length or 0) > MAX_JSON_BYTES:  # said so up front: not even read
            raise BodyTooLarge(TOO_LARGE, size=MAX_JSON_BYTES // 1024)
        raw = request.get_data(cache=True)
        if len(raw) > MAX_JSON_BYTES:
            raise BodyTooLarge(TOO_LARGE, size=MAX_JSON_BYTES // 1024)
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise BodyRefused(TOO_DEEP, depth=MAX_JSON_DEPTH)
        check_json_text(request.get_json(silent=True))  # parsed once: the view gets it from the cache


def init_app(app: Flask) -> None:
    # Registered after the upload limit is set (the form is read here) and before CSRF protection.
    app.before_request(check_request)
