"""The policyholder's notices: the inbox (filter by policy and type), one notice (read), its
PDF, marking unread, and the choice of channel per type at /account/notices. Another
customer's notice is a 404 like one that does not exist (the service decides)."""
from __future__ import annotations

import base64
import hashlib
import re

from flask import Response, abort, redirect, render_template, request, url_for

from paas.errors import InvalidInput
from paas.notices import inbox as notices
from paas.notices.preferences import CHANNEL_LABELS, CHANNELS, preference_sheet, set_preferences
from paas.notices.render import render_html
from paas.notices.types import notice_type
from saas.auth import policyholder_required, principal
from saas.i18n import error_text
from saas.transaction import platform, read_only, uow
from saas.web import blueprint
from saas.web.notice_forms import MarkForm, PreferencesForm
from paas.customers.models import Customer

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _letter_policy(html: str) -> str:
    """The page's own content security policy: the letter's one <style> allowed by its hash
    (the letter travels self-contained, in e-mail too), nothing else inline."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
                      for m in _STYLE.findall(html))
    return ("default-src 'self'; script-src 'self'; style-src 'self' " + hashes + "; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")


@blueprint.get("/notices")
@policyholder_required
@read_only
def notice_inbox():
    box = notices.inbox(uow(), principal().customer_id, policy=request.args.get("policy", "")[:20] or None,
                        notice_type=request.args.get("type", "")[:32] or None)
    return render_template("web/notices.html", box=box, notice_type=notice_type)


@blueprint.get("/notices/<int:notice_id>")
@policyholder_required
def notice(notice_id: int):
    opened = notices.open_notice(uow(), principal().customer_id, notice_id)
    # The letter reads as it was issued, in its recipient's language (the page around it in the reader's).
    letter = render_html(opened.document, opened.document.data["language"], public_url=platform().public_url)
    response = Response(render_template("web/notice.html", notice=opened, letter=letter, kind=notice_type(opened.notice_type),
                                        form=MarkForm(), channel_labels=CHANNEL_LABELS))
    response.headers["Content-Security-Policy"] = _letter_policy(letter)
    return response


@blueprint.get("/notices/<int:notice_id>/pdf")
@policyholder_required
def notice_pdf(notice_id: int):
    filename, data = notices.notice_pdf(uow(), principal().customer_id, notice_id)
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blueprint.post("/notices/<int:notice_id>/unread")
@policyholder_required
def mark_notice_unread(notice_id: int):
    if not MarkForm().validate_on_submit():
        abort(400)
    notices.set_read(uow(), principal().customer_id, notice_id, False)
    return redirect(url_for("web.notice_inbox"), 303)


@blueprint.route("/account/notices", methods=["GET", "POST"])
@policyholder_required
def notice_preferences():
    unit, who = uow(), principal()
    customer = unit.session.get(Customer, who.customer_id)
    form, error, saved = PreferencesForm(), None, False
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        wanted = {tuple(value.split(".", 1)) for value in request.form.getlist("want")[:100] if "." in value}
        try:
            set_preferences(unit, who, customer, wanted)
            saved = True
        except InvalidInput as failure:
            error = error_text(failure)
    status = 422 if error else 200
    return render_template("web/notice_preferences.html", rows=preference_sheet(unit, customer), channels=CHANNELS,
                           channel_labels=CHANNEL_LABELS, form=form, error=error, saved=saved), status
