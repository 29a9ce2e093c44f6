"""Talking to the portal like a browser: plain HTTP requests, signing in as the demo
policyholder through the real login form (CSRF token, session cookie) and checking that a
page really is the page (not a redirect to /login, not an error)."""
from __future__ import annotations

import http.client
import re
import urllib.parse
from http.cookies import SimpleCookie

DEMO_LOGIN = "demo@example.com"
DEMO_PASSWORD = "demo-password-1"
SESSION_COOKIE = "portal_session"


def http_request(port: int, method: str, path: str, *, cookie: str | None = None, body: bytes | None = None,
                 content_type: str | None = None) -> tuple[int, http.client.HTTPMessage, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if content_type:
        headers["Content-Type"] = content_type
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def session_cookie(headers: http.client.HTTPMessage) -> str | None:
    for value in headers.get_all("Set-Cookie") or ():
        jar = SimpleCookie()
        jar.load(value)
        if SESSION_COOKIE in jar:
            return jar[SESSION_COOKIE].value
    return None


def sign_in(port: int) -> str:
    status, headers, page = http_request(port, "GET", "/login")
    if status != 200:
        raise SystemExit(f"GET /login answered {status}")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    cookie = session_cookie(headers)
    if not token or not cookie:
        raise SystemExit("the sign-in page has no CSRF token or sets no session cookie")
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "identifier": DEMO_LOGIN, "password": DEMO_PASSWORD, "next": ""}
    ).encode()
    status, headers, page = http_request(
        port, "POST", "/login", cookie=f"{SESSION_COOKIE}={cookie}", body=form,
        content_type="application/x-www-form-urlencoded",
    )
    signed_in = session_cookie(headers)
    if status != 302 or not signed_in:
        raise SystemExit(f"signing in as {DEMO_LOGIN} failed: {status}\n{page[:500]}")
    return f"{SESSION_COOKIE}={signed_in}"


def check_page(port: int, path: str, cookie: str | None, must_contain: str) -> tuple[str, str | None]:
    """The page's HTML and the cookie to send from now on: like a browser, keep the session
    cookie a response sets (the first page after sign-in adds the CSRF token to it; sending
    the old one again would make every request mint a new token and re-sign the cookie)."""
    status, headers, page = http_request(port, "GET", path, cookie=cookie)
    if status != 200:
        where = headers.get("Location", "")
        raise SystemExit(f"GET {path} answered {status} {where} - not the page (signed out?)")
    if must_contain not in page:
        raise SystemExit(f"GET {path} answered 200 but without {must_contain!r}: not the expected page")
    renewed = session_cookie(headers)
    return page, (f"{SESSION_COOKIE}={renewed}" if renewed else cookie)
