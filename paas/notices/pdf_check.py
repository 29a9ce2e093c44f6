"""Is this PDF a genuine notice? Checked offline, from the file alone and the key ring (or only
its exported public keys): the notice data attached to the PDF against its Ed25519 signature,
and the PAdES signature when the PDF has one - intact, over the whole file (nothing appended
after signing), by our certificate for its key id.

A PDF without a PAdES signature can still carry genuine data: the verdict says so, and says
that its printed text is then not vouched for (compare it with the data shown)."""
from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization

from paas.notices import document
from paas.notices.pades import certificate_key_id, load_pyhanko, off_the_event_loop, pdf_signing_key
from paas.notices.render import ATTACHMENT

if TYPE_CHECKING:
    from iaas.keyring import KeyRing

NO_PDF_SIGNATURE, PDF_SIGNATURE_VALID, PDF_SIGNATURE_INVALID = "absent", "valid", "invalid"


@dataclass
class PdfVerdict:
    data: dict | None = None
    key_id: str = ""
    code: str = ""
    data_genuine: bool = False
    pdf_signature: str = NO_PDF_SIGNATURE
    signer: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def genuine(self) -> bool:
        return self.data_genuine and self.pdf_signature != PDF_SIGNATURE_INVALID and not self.problems


def check_pdf(pdf_bytes: bytes, keys: "KeyRing | Mapping[str, str]") -> PdfVerdict:
    load_pyhanko()
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    verdict = PdfVerdict()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        carried = _attachment(reader, ATTACHMENT)
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        verdict.problems.append(f"not a readable PDF ({type(exc).__name__})")
        return verdict
    _check_data(verdict, carried, keys)
    try:
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        verdict.pdf_signature = PDF_SIGNATURE_INVALID
        verdict.problems.append(f"its PDF signature cannot be read ({type(exc).__name__})")
        return verdict
    for signature in signatures:
        _check_pdf_signature(verdict, signature, keys)
    return verdict


def _check_data(verdict: PdfVerdict, carried: bytes | None, keys) -> None:
    if carried is None:
        verdict.problems.append(f"it carries no signed notice data ({ATTACHMENT})")
        return
    try:
        signed = json.loads(carried)
        verdict.data, verdict.key_id, signature = signed["data"], str(signed["key_id"]), str(signed["signature"])
    except (ValueError, KeyError, TypeError):
        verdict.problems.append("its notice data is unreadable")
        return
    verdict.code = document.verification_code(signature)
    verdict.data_genuine = document.verify(verdict.data, signature, verdict.key_id, keys=keys)
    if not verdict.data_genuine:
        verdict.problems.append(f"its notice data does not match the signature of key {verdict.key_id!r} "
                                "(edited after signing, or not signed by us)")


def _check_pdf_signature(verdict: PdfVerdict, signature, keys) -> None:
    load_pyhanko()
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    certificate = signature.signer_cert
    verdict.signer = certificate.subject.human_friendly
    try:
        context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
        status = off_the_event_loop(lambda: validate_pdf_signature(signature, context))
        sound = status.intact and status.valid
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    except (PdfError, ValueError, TypeError, KeyError) as exc:  # pyHanko's validation errors are ValueErrors
        sound, whole = False, False
        verdict.problems.append(f"its PDF signature cannot be checked ({type(exc).__name__})")
    if not sound:
        verdict.problems.append("its PDF signature does not match its content (the file was changed after signing)")
    elif not whole:
        verdict.problems.append("something was added to the PDF after it was signed")
    ours = _ours(certificate, keys)
    if ours is False:
        verdict.problems.append("its PDF signature is not by our certificate for its key id")
    verdict.pdf_signature = PDF_SIGNATURE_VALID if sound and whole and ours is not False else PDF_SIGNATURE_INVALID


def _ours(certificate, keys) -> bool | None:
    """Whether the signer's key is the ring's PDF key for the key id it names (None: only
    public notice keys at hand, which cannot tell)."""
    from cryptography import x509

    if isinstance(keys, Mapping):
        return None
    parsed = x509.load_der_x509_certificate(certificate.dump())
    key_id = certificate_key_id(parsed)
    if not key_id or key_id not in keys.public_keys():
        return False
    expected = pdf_signing_key(keys, key_id).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return parsed.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == expected


def _attachment(reader, name: str) -> bytes | None:
    names = reader.root.get("/Names")
    tree = names.get("/EmbeddedFiles") if names is not None else None
    if tree is None:
        return None
    pairs = list(tree.get("/Names", ()))
    found = None
    for position in range(0, len(pairs) - 1, 2):
        if str(pairs[position]) == name:
            if found is not None:
                raise ValueError("two attachments of the same name")  # which one would a reader open?
            found = pairs[position + 1]
    if found is None:
        return None
    return found.get_object()["/EF"]["/F"].data
