"""The page a PAY/支付 link opens: no sign-in (the link is the proof, once), only the amount
and the masked policy, and one button on to the same hosted checkout the web's payment page
uses. A link that is altered, unknown, expired or spent says so and pays nothing."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from saas.csrf import PageForm

from paas.billing import pay_links
from paas.billing.payments import ReturnUrls
from paas.errors import DomainError, NotFound
from saas.i18n import error_text
from saas.payment_links import own_page
from saas.transaction import platform, read_only, uow

blueprint = Blueprint("sms_pay", __name__, template_folder="templates")
_TOKEN = "/p/<string(minlength=20,maxlength=20):token>"


class PayForm(PageForm):
    """The CSRF token of the button."""


def _page(token: str, status: int = 200, error: str | None = None):
    try:
        link = pay_links.view(uow(), token)
    except NotFound as exc:
        return render_template("sms/pay_link.html", link=None, error=error_text(exc), form=None), 404
    problem = error_text(DomainError(link.problem)) if link.problem else None
    return render_template("sms/pay_link.html", link=link, error=error or problem, form=PayForm()), status


@blueprint.get(_TOKEN)
@read_only
def pay_link(token: str):
    return _page(token)


@blueprint.post(_TOKEN)
def pay_with_link(token: str):
    if not PayForm().validate_on_submit():
        abort(400)
    base = platform().public_url
    urls = ReturnUrls(success=base + url_for("sms_pay.pay_link_done"), cancel=base + url_for("sms_pay.pay_link_done"))
    try:
        started = pay_links.redeem(uow(), token, urls)
    except DomainError as exc:
        uow().rollback()
        return _page(token, exc.status if exc.status < 500 else 503, error_text(exc))
    return redirect(own_page(started.checkout_url), code=303)


@blueprint.get("/p/done")
@read_only
def pay_link_done():
    return render_template("sms/pay_link_done.html")
