"""A customer's uploaded document shown to staff in the browser (a claim's, a servicing
request's): the one way the console serves one, so each gets the same sandbox."""
from __future__ import annotations

from io import BytesIO

from flask import Response, send_file

# A customer's file shown in the browser: it may run nothing, load nothing and be framed by
# nobody, whatever it contains. (Chromium's own PDF viewer is not affected by this policy.)
DOCUMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'; sandbox"


def show_document(data: bytes, *, content_type: str, filename: str) -> Response:
    """Inline, typed by what its content was found to be, under the sandboxing policy (which the
    site-wide headers leave standing), and never cached."""
    response = send_file(BytesIO(data), mimetype=content_type, as_attachment=False, download_name=filename, max_age=0)
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    response.headers["Cache-Control"] = "no-store"
    return response
