"""Where the provider's checkout sends the customer back: our public address (configured,
never taken from the request's Host header) and the pages that pick the payment up."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for

from paas.billing.payments import ReturnUrls
from saas.transaction import platform


def return_urls() -> ReturnUrls:
    base = platform().public_url
    # {CHECKOUT_SESSION_ID} is filled in by the provider (url_for would escape the braces).
    return ReturnUrls(success=f"{base}{url_for('web.payment_return')}?session_id={{CHECKOUT_SESSION_ID}}",
                      cancel=f"{base}{url_for('web.pay')}")


def own_page(url: str) -> str:
    """A page of this portal (the sandbox's checkout, the return address) by its path alone, so
    the browser stays on the origin it is using (127.0.0.1 or localhost, whatever the port),
    which the content security policy's form-action 'self' always allows. The sandbox's
    checkout is always served here, also when an order kept the address of an earlier run."""
    base = platform().public_url
    if url.startswith(base + "/"):
        return url[len(base):]
    gateway = platform().payments
    parts = urlsplit(url)
    if gateway is not None and gateway.name == "sandbox" and parts.path.startswith("/sandbox/checkout/"):
        return parts.path
    return url
