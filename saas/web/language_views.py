"""Switching between Chinese and English, on any page, signed in or not."""
from __future__ import annotations

from flask import abort, redirect, request, url_for

from paas.i18n import supported
from paas.security.preferences import set_locale
from saas.auth import principal
from saas.i18n import LANGUAGE_COOKIE
from saas.transaction import uow
from saas.web import blueprint
from saas.web.forms import LanguageForm
from saas.web.redirects import safe_next

ONE_YEAR = 365 * 24 * 3600


@blueprint.route("/language/<string(maxlength=8):code>", methods=["POST"])
def language(code: str):
    locale = supported(code)
    if locale is None or len(code) > 5:
        abort(404)
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    who = principal()
    if who is not None:
        set_locale(uow(), who, locale)  # notices and SMS follow the same choice
    response = redirect(safe_next(form.next.data, url_for("web.asset_sheet")))
    response.set_cookie(
        LANGUAGE_COOKIE, locale, max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=request.is_secure
    )
    return response
