"""Security headers on every response. No inline script or style anywhere, so the content
security policy can forbid them outright."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


FORM_TARGETS = "portal.form_targets"


def form_may_go_to(url: str) -> bool:
    """Whether the policy's form-action lets a form submission end at the URL (browsers apply
    it to the redirects after the submission too): this page's origin, or a form target."""
    target = urlsplit(url)
    if not target.scheme and not target.netloc:
        return True
    origin = f"{target.scheme}://{target.netloc}"
    return origin == request.host_url.rstrip("/") or origin in current_app.extensions.get(FORM_TARGETS, ())


def init_app(app: Flask, *, production: bool, form_targets: tuple[str, ...] = ()) -> None:
    app.extensions[FORM_TARGETS] = form_targets
    csp = CSP.replace("form-action 'self'", " ".join(("form-action 'self'", *form_targets)))
    static_headers = {
        "Content-Security-Policy": csp,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if production:
        static_headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    @app.after_request
    def _secure(response):
        own_policy = response.headers.get("Content-Security-Policy")
        response.headers.update(static_headers)
        if own_policy:  # a view's stricter policy stands (a customer's document shown inline)
            response.headers["Content-Security-Policy"] = own_policy
        if not request.path.startswith("/static/"):
            # Pages show personal data: never keep them in shared or back/forward caches.
            response.headers["Cache-Control"] = "no-store"
        return response
