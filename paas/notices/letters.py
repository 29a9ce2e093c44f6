"""A stored notice read back: its signed data checked against its signature (a notice edited in
the table after signing reads as not genuine), and its letter as PDF - rendered on demand and
PAdES-signed the first time it is delivered or downloaded, then kept in the object store so
every later copy is the same file."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from paas.notices import document
from paas.notices.document import SignedNotice

if TYPE_CHECKING:
    from paas.notices.models import Notice
    from paas.unit_of_work import UnitOfWork

PDF_TYPE = "application/pdf"


def signed(notice: "Notice") -> SignedNotice:
    return SignedNotice(json.loads(notice.canonical.decode("utf-8")), notice.key_id, notice.signature)


def genuine(uow: "UnitOfWork", notice: "Notice") -> bool:
    """Whether the stored data is what was signed, and the code on the letter is this signature's."""
    try:
        data = json.loads(notice.canonical.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return (document.verification_code(notice.signature) == notice.code
            and document.verify(data, notice.signature, notice.key_id, keys=uow.keyring))


def pdf_filename(notice: "Notice") -> str:
    return f"{notice.notice_type}-{notice.code}.pdf"


def letter_pdf(uow: "UnitOfWork", notice: "Notice") -> bytes:
    """The notice's PDF, PAdES-signed; rendered and signed once, then read from the store."""
    store = uow.platform.objects
    if notice.signed_pdf_key and store is not None:
        return store.get(notice.signed_pdf_key)
    from paas.notices.pades import sign_pdf  # rendering and PAdES are their own part (typst, pyHanko)
    from paas.notices.render import render_pdf

    data = sign_pdf(render_pdf(signed(notice), notice.locale, public_url=uow.platform.public_url), uow.keyring)
    if store is not None:
        key = f"notices/{notice.issued_on:%Y/%m}/{notice.code}.pdf"
        store.put(key, data, content_type=PDF_TYPE)
        notice.signed_pdf_key = key
    return data
