"""Submitting a servicing form, from the web or the console: the same reading of the form,
the same uploads, the same engine call; only the channel differs."""
from __future__ import annotations

from flask import request
from werkzeug.datastructures import FileStorage

from paas.documents import uploads
from paas.security.principal import Principal
from paas.servicing import engine
from paas.servicing.base import Field
from paas.servicing.models import ServiceRequest
from paas.servicing.offers import policy_owner, service
from paas.unit_of_work import UnitOfWork
from saas.servicing.form_input import read_form

# A form carrying a document may be larger than other requests; a file over the documents'
# own limit (but under this) gets the friendly "larger than 10 MB" message on the form.
UPLOAD_REQUEST_BYTES = 2 * uploads.MAX_BYTES


def accepts_uploads(view):
    """Mark a view whose form may carry a document (see ``init_app``)."""
    view.accepts_uploads = True
    return view


def init_app(app) -> None:
    # Registered before CSRF protection, which reads the form (and so applies the limit) first.
    @app.before_request
    def _upload_limit():
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if getattr(view, "accepts_uploads", False):
            request.max_content_length = UPLOAD_REQUEST_BYTES


def submit(unit: UnitOfWork, who: Principal, policy_number: str, kind: str, *, channel: str) -> ServiceRequest:
    txn = service(kind)

    def upload(field: Field, storage: FileStorage) -> str:
        owner = who.customer_id if who.is_policyholder else policy_owner(unit, who, policy_number)
        document = uploads.upload(unit, who, owner, purpose=kind[:24], subject=f"servicing:{kind}"[:40],
                                  filename=storage.filename or "", data=storage.read(uploads.MAX_BYTES + 1))
        return document.reference

    raw = read_form(txn.fields, request.form, request.files, upload)
    return engine.start(unit, who, policy_number, kind, raw, channel=channel,
                        idempotency_key=(request.form.get("idempotency_key") or "")[:60])
