"""A customer's document handed to its owner as a download: a redirect to the object store's
short-lived link (S3, presigned: the bytes never pass through a web process), or the bytes
themselves from the embedded store. Either way an attachment, never shown inside our pages,
and only after the service checked who is asking."""
from __future__ import annotations

from io import BytesIO

from flask import Response, redirect, send_file

from paas.documents.uploads import Download


def attachment(download: Download) -> Response:
    if download.link is not None:
        response = redirect(download.link, 303)
        response.headers["Cache-Control"] = "no-store"  # a link that expires is no use to a cache
        return response
    document = download.document
    return send_file(BytesIO(download.data or b""), mimetype=document.content_type, as_attachment=True,
                     download_name=document.filename, max_age=0)
