"""What the policyholder web and the console share for claims: the words for kinds,
statuses and documents in the templates, and the upload limit the forms state."""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Template globals for the claim pages (called by each blueprint that shows them)."""
    from paas.claims.rules import CLAIM_KINDS, DOCUMENTS, REQUIRED
    from paas.claims.views import STATUS_LABELS
    from paas.documents.uploads import MAX_BYTES

    app.jinja_env.globals.update(
        claim_kinds=CLAIM_KINDS, claim_documents=DOCUMENTS, claim_required=REQUIRED, claim_status_labels=STATUS_LABELS,
        upload_megabytes=MAX_BYTES // (1024 * 1024),
    )
