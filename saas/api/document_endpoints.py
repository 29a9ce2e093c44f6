"""Uploading a document (an ID card for a name correction) before submitting the request that
names it: multipart/form-data with the file in ``file``. The type is decided by the content."""
from __future__ import annotations

from flask import jsonify, request

from paas.documents import uploads
from paas.errors import N_, InvalidInput
from saas.api import blueprint
from saas.api.external_account_endpoints import _policyholder, reports_invalid_input
from saas.api.servicing_schemas import Document
from saas.servicing.submission import accepts_uploads
from saas.transaction import uow

FILE_NEEDED = N_("Send the file as multipart/form-data in a field named file.")


@blueprint.post("/documents")
@accepts_uploads
@reports_invalid_input
def upload_document():
    who = _policyholder()
    storage = request.files.get("file")
    if storage is None or not storage.filename:
        raise InvalidInput(FILE_NEEDED, field="file")
    purpose = (request.form.get("purpose") or "servicing")[:24]
    document = uploads.upload(uow(), who, who.customer_id, purpose=purpose, subject=f"upload:{purpose}"[:40],
                              filename=storage.filename, data=storage.read(uploads.MAX_BYTES + 1))
    body = {"reference": document.reference, "filename": document.filename, "content_type": document.content_type,
            "size": document.size}
    return jsonify(Document().dump(body)), 201
