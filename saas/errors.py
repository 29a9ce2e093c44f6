"""Every failure becomes a clear answer in the user's language: an HTML page for people,
JSON for the API. Never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from paas.documents.uploads import MAX_BYTES as UPLOAD_MAX_BYTES
from paas.documents.uploads import TOO_LARGE as UPLOAD_TOO_LARGE
from paas.errors import N_, DomainError, TooManyAttempts
from saas.i18n import error_text, gettext

log = logging.getLogger(__name__)

MESSAGES = {
    400: N_("We could not understand that request. Please go back and try again."),
    401: N_("Please sign in first."),
    403: N_("You are not allowed to do this."),
    404: N_("We could not find that page."),
    405: N_("That is not something this page can do."),
    413: N_("What you sent is too large."),
    415: N_("That type of content is not accepted here."),
    422: N_("Some of what you entered is not valid."),
    429: N_("Too many requests. Please wait a moment and try again."),
    500: N_("Something went wrong on our side. Nothing was changed; please try again later."),
}
CSRF_EXPIRED = N_("This form has expired or was already sent. Please reload the page and try again.")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str, code: str, field: str | None = None):
    if wants_json():
        error = {"code": code, "message": message, **({"field": field} if field else {})}
        response = jsonify({"error": error})
        response.status_code = status
        return response
    return render_template("errors/error.html", status=status, message=message), status


def too_large_upload():
    """A form carrying a document was over even the request limit (the file never reached the
    view): the documents' own limit, in the user's language, on the page the form was on when
    the view says how to show it (``view.too_large``, given the message and the URL's values)."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if not getattr(view, "accepts_uploads", False):
        return None
    message = gettext(UPLOAD_TOO_LARGE, megabytes=UPLOAD_MAX_BYTES // (1024 * 1024))
    back_on_page = getattr(view, "too_large", None)
    if back_on_page is not None and not wants_json():
        return back_on_page(message, **(request.view_args or {})), 413
    return error_response(413, message, "too_large")


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        response = app.make_response(error_response(error.status, error_text(error), error.code,
                                                    getattr(error, "field", None)))
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError):
        return error_response(400, gettext(CSRF_EXPIRED), "csrf")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        if status == 413 and (answer := too_large_upload()) is not None:
            return answer
        message = gettext(MESSAGES.get(status, MESSAGES[400 if status < 500 else 500]))
        response = error_response(status, message, (error.name or "error").lower().replace(" ", "_"))
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response = app.make_response(response)
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, gettext(MESSAGES[500]), "internal_error")

    @app.errorhandler(InternalServerError)
    def _internal(_error):
        return error_response(500, gettext(MESSAGES[500]), "internal_error")
