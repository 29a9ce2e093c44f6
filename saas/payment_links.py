"""Where the provider's checkout sends the customer back: our public address (configured,
never taken from the request's Host header) and the pages that pick the payment up."""
from __future__ import annotations

from flask import url_for

from paas.billing.payments import ReturnUrls
from saas.transaction import platform


def return_urls() -> ReturnUrls:
    base = platform().public_url
    # {CHECKOUT_SESSION_ID} is filled in by the provider (url_for would escape the braces).
    return ReturnUrls(success=f"{base}{url_for('web.payment_return')}?session_id={{CHECKOUT_SESSION_ID}}",
                      cancel=f"{base}{url_for('web.pay')}")
