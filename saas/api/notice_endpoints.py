"""The caller's notices: the inbox (``?policy=&type=``), one notice (reading it marks it read),
its PDF, and the choices of channel per type. Another customer's notice is a 404."""
from __future__ import annotations

from flask import Response, jsonify, request, url_for

from paas.errors import N_, InvalidInput
from paas.notices import inbox as notices
from paas.notices.preferences import preference_sheet, set_preferences
from paas.notices.types import notice_type
from paas.notices.view import sms_summary
from paas.customers.models import Customer
from saas.api import blueprint
from saas.api.external_account_endpoints import _policyholder, reports_invalid_input
from saas.api.notice_schemas import NoticeDetail, NoticeList, NoticePreferences
from saas.i18n import current_locale, gettext
from saas.transaction import read_only, uow

WANTED_LIST = N_("List the channels you want as type.channel in wanted.")


def _line(line) -> dict:
    return {"id": line.id, "type": line.notice_type, "title": gettext(notice_type(line.notice_type).title),
            "policy_number": line.policy_number, "issued_on": line.issued_on, "read": line.read,
            "verification_code": line.code}


@blueprint.get("/notices")
@read_only
def api_notices():
    who = _policyholder()
    box = notices.inbox(uow(), who.customer_id, policy=request.args.get("policy", "")[:20] or None,
                        notice_type=request.args.get("type", "")[:32] or None)
    return jsonify(NoticeList().dump({"unread": box.unread, "notices": [_line(line) for line in box.lines]}))


@blueprint.get("/notices/<int:notice_id>")
def api_notice(notice_id: int):
    who = _policyholder()
    opened = notices.open_notice(uow(), who.customer_id, notice_id)
    doc, kind = opened.document, notice_type(opened.notice_type)
    body = {"id": opened.id, "type": opened.notice_type, "title": gettext(kind.title), "policy_number": opened.policy_number,
            "issued_on": opened.issued_on, "read": True, "verification_code": doc.code, "genuine": opened.genuine,
            "data": doc.data, "key_id": doc.key_id, "signature": doc.signature,
            "summary": sms_summary(doc.data, current_locale()),
            "pdf_url": url_for("api.api_notice_pdf", notice_id=opened.id) if kind.has_letter else None}
    return jsonify(NoticeDetail().dump(body))


@blueprint.get("/notices/<int:notice_id>/pdf")
def api_notice_pdf(notice_id: int):
    who = _policyholder()
    filename, data = notices.notice_pdf(uow(), who.customer_id, notice_id)
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _choices(customer) -> dict:
    return {"choices": [{"type": row.notice_type.code, "channel": cell.channel, "wanted": cell.wanted,
                         "locked": cell.locked, "available": cell.available}
                        for row in preference_sheet(uow(), customer) for cell in row.cells]}


@blueprint.get("/notice-preferences")
@read_only
def api_notice_preferences():
    who = _policyholder()
    return jsonify(NoticePreferences().dump(_choices(uow().session.get(Customer, who.customer_id))))


@blueprint.put("/notice-preferences")
@reports_invalid_input
def api_set_notice_preferences():
    who = _policyholder()
    body = request.get_json(silent=True)
    wanted = body.get("wanted") if isinstance(body, dict) else None
    if not isinstance(wanted, list) or len(wanted) > 100 or not all(isinstance(w, str) and "." in w for w in wanted):
        raise InvalidInput(WANTED_LIST, field="wanted")
    customer = uow().session.get(Customer, who.customer_id)
    set_preferences(uow(), who, customer, {tuple(w[:48].split(".", 1)) for w in wanted})
    return jsonify(NoticePreferences().dump(_choices(customer)))
