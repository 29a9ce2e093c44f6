"""The public check of a notice, no sign-in: ``/verify?code=...`` (what the QR on a letter
opens) or the code typed in. Only genuine / not, and then the type, date and masked recipient."""
from __future__ import annotations

from flask import render_template, request

from paas.notices.types import notice_type
from paas.notices.verification import verify_code
from saas.transaction import read_only, uow
from saas.web import blueprint


@blueprint.get("/verify")
@read_only
def verify_notice():
    typed = request.args.get("code", "")[:40]
    verdict = verify_code(uow(), typed) if typed.strip() else None
    return render_template("web/verify.html", verdict=verdict, typed=typed, notice_type=notice_type)
