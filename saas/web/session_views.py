"""Whether the signed-in session still holds: the whole check every page makes (the cookie,
the server-side session, its idle time and lifetime, the account), and nothing else. A page's
script may ask it before a long form is sent; the web benchmark measures it as the floor of
every signed-in page (bench/web_pages.py)."""
from __future__ import annotations

from saas.auth import policyholder_required
from saas.transaction import read_only
from saas.web import blueprint


@blueprint.get("/session/check")
@policyholder_required
@read_only
def session_check():
    return "", 200, {"Cache-Control": "no-store"}  # signed out: the login page, as for any page
