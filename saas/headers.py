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


class SecurityHeaders:
    """WSGI middleware adding the headers to the list the response hands to the server, built
    once: Werkzeug's ``Headers.update`` checked and placed each of them again at every request.
    A view's own Content-Security-Policy stands (a customer's document shown inline); any other
    of these headers a view set is replaced, as before; every page but a static file is no-store."""

    def __init__(self, app, headers: dict[str, str]) -> None:
        self.app = app
        self.always = [(name, value) for name, value in headers.items() if name != "Content-Security-Policy"]
        self.policy = ("Content-Security-Policy", headers["Content-Security-Policy"])
        self.page = [*self.always, ("Cache-Control", "no-store")]
        self.replaced_static = {name.lower() for name, _value in self.always}
        self.replaced_page = self.replaced_static | {"cache-control"}

    def __call__(self, environ, start_response):
        static = environ.get("PATH_INFO", "").startswith("/static/")
        added, replaced = (self.always, self.replaced_static) if static else (self.page, self.replaced_page)

        def start_with_headers(status, headers, exc_info=None):
            own_policy = False
            kept = []
            for header in headers:
                name = header[0].lower()
                if name == "content-security-policy":
                    own_policy = True
                elif name in replaced:
                    continue
                kept.append(header)
            kept.extend(added)
            if not own_policy:
                kept.append(self.policy)
            return start_response(status, kept, exc_info)

        return self.app(environ, start_with_headers)


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
    app.wsgi_app = SecurityHeaders(app.wsgi_app, static_headers)
