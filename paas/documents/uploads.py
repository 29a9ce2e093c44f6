"""Receiving a document: the type is decided by the content (a renamed .exe is not a PDF),
empty and oversized files are refused, and nothing is stored unless all checks pass."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.documents.models import Document
from paas.errors import N_, InvalidInput, NotFound
from paas.security.principal import Principal

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EMPTY = N_("The file is empty.")
TOO_LARGE = N_("The file is larger than %(megabytes)s MB.")
WRONG_TYPE = N_("Only PDF, JPEG and PNG files are accepted, and this file is none of them.")
DOCUMENT_NOT_FOUND = N_("We could not find that document.")
LINK_SECONDS = 300  # a presigned download link: long enough to start it, too short to pass around


@dataclass(frozen=True)
class Download:
    """A document to hand over: a short-lived link straight from the object store (S3), or -
    where the store gives none - its bytes, checked against their SHA-256."""

    document: Document
    link: str | None
    data: bytes | None


def sniff_type(data: bytes) -> str | None:
    return next((kind for signature, kind in SIGNATURES if data.startswith(signature)), None)


def upload(uow: "UnitOfWork", who: Principal, customer_id: int, *, purpose: str, subject: str,
           filename: str, data: bytes) -> Document:
    if not data:
        raise InvalidInput(EMPTY, field="document")
    if len(data) > MAX_BYTES:
        raise InvalidInput(TOO_LARGE, field="document", megabytes=MAX_BYTES // (1024 * 1024))
    content_type = sniff_type(data)
    if content_type is None:
        raise InvalidInput(WRONG_TYPE, field="document")
    digest = hashlib.sha256(data).hexdigest()
    reference = "DOC" + secrets.token_hex(8).upper()
    key = f"documents/{customer_id}/{digest}"
    document = Document(
        reference=reference, customer_id=customer_id, purpose=purpose, subject=subject, object_key=key,
        filename=_safe_name(filename), content_type=content_type, size=len(data), sha256=digest,
        uploaded_by=who.account_id, created_at=uow.clock.now(),
    )
    uow.session.add(document)
    uow.session.flush()
    # Stored once the row is in. If the transaction is then rolled back, the object stays
    # unreferenced; its key is its content's hash, so sending the same file again reuses it.
    uow.platform.objects.put(key, data, content_type=content_type)
    return document


def read(uow: "UnitOfWork", customer_id: int, reference: str) -> tuple[Document, bytes]:
    """A document of this customer's, with its bytes (checked against its SHA-256)."""
    document = uow.session.execute(
        select(Document).where(Document.reference == (reference or "")[:24], Document.customer_id == customer_id)
    ).scalar_one_or_none()
    if document is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    return document, _checked_bytes(uow, document)


def download(uow: "UnitOfWork", document: Document) -> Download:
    """How to hand over a document the caller has already checked the asker may have."""
    link = uow.platform.objects.download_url(document.object_key, filename=document.filename,
                                             content_type=document.content_type, expires_in=LINK_SECONDS)
    if link is not None:
        return Download(document, link, None)
    return Download(document, None, _checked_bytes(uow, document))


def _checked_bytes(uow: "UnitOfWork", document: Document) -> bytes:
    data = uow.platform.objects.get(document.object_key)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise RuntimeError(f"document {document.reference} does not match its checksum")
    return data


def _safe_name(filename: str) -> str:
    name = (filename or "document").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:120] or "document"
