"""PDF signatures (PAdES, pyHanko): a delivered or downloaded letter is signed as a PDF, so any
reader (Acrobat, Foxit) shows who signed it and that nothing changed since.

The embedded default signs with a self-issued certificate from the key ring, labelled as such
in its name (a production deployment would use one issued by a CA). Its Ed25519 key is derived
from the ring's MAC key of a key id (HMAC of a fixed label): nothing new to store, the same in
every process, it moves on with ``portal keys rotate``, and older PDFs keep naming their own key
id in the certificate. It is a different key from the one signing the notice data, so neither
signature can be passed off as the other. The certificate is deterministic for a key id (fixed
validity, serial from the key), so a PDF signed today and one signed next year carry the same."""
from __future__ import annotations

import asyncio
import hashlib
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache, cached_property
from typing import TYPE_CHECKING, Callable, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

    from iaas.keyring import KeyRing

T = TypeVar("T")


@cache
def load_pyhanko() -> None:
    """Import pyHanko's signing and checking once, before any ``from pyhanko ...`` here: its
    modules import cryptography's DSA key types, which cryptography 51 deprecates with a warning
    at each such import. Letters are signed and checked with Ed25519 only; the warning is not
    about them."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)
        import pyhanko.sign.signers  # noqa: F401
        import pyhanko.sign.validation  # noqa: F401
        import pyhanko_certvalidator  # noqa: F401

KEY_PURPOSE = "notices.pdf-signing-key"
SIGNER_NAME = "Pinghe Life e-notices (self-issued, embedded default)"  # a CN holds 64
ORGANISATION = "Pinghe Life"
FIELD_NAME = "PingheLifeNotice"
SIGNATURE_ROOM = 4096  # bytes: the CMS container with its certificate is about 1.5 KB
VALID_FROM = datetime(2024, 1, 1, tzinfo=timezone.utc)
VALID_UNTIL = datetime(2124, 1, 1, tzinfo=timezone.utc)


def pdf_signing_key(keyring: "KeyRing", key_id: str) -> Ed25519PrivateKey:
    seed = keyring.mac_with(key_id, b"ed25519 seed", purpose=KEY_PURPOSE)
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed))


def self_issued_certificate(key: Ed25519PrivateKey, key_id: str) -> x509.Certificate:
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, SIGNER_NAME),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, key_id),  # the key id, to find the key again
    ])
    public = key.public_key()
    serial = int.from_bytes(hashlib.sha256(public.public_bytes_raw()).digest()[:16], "big") >> 1
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
            .serial_number(serial).not_valid_before(VALID_FROM).not_valid_after(VALID_UNTIL)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, None))


def certificate_key_id(certificate: x509.Certificate) -> str | None:
    found = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    return str(found[0].value) if found else None


@dataclass
class PdfSigner:
    """Signs PDFs under the key ring's active key id (one signer per process and key id)."""

    keyring: "KeyRing"

    def certificate(self, key_id: str | None = None) -> x509.Certificate:
        key_id = key_id or self.keyring.active_key_id
        return self_issued_certificate(pdf_signing_key(self.keyring, key_id), key_id)

    @cached_property
    def _signer(self) -> "SimpleSigner":
        load_pyhanko()
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        key_id = self.keyring.active_key_id
        key = pdf_signing_key(self.keyring, key_id)
        certificate = asn1_x509.Certificate.load(
            self_issued_certificate(key, key_id).public_bytes(serialization.Encoding.DER))
        private = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        return signers.SimpleSigner(signing_cert=certificate, signing_key=private,
                                    cert_registry=SimpleCertificateStore.from_certs([certificate]))

    def sign_pdf(self, pdf_bytes: bytes) -> bytes:
        """The PDF with a PAdES signature over all of it (an incremental update: the letter,
        its attached signed data and its text are untouched)."""
        load_pyhanko()
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha512", reason="Electronic notice", name=ORGANISATION)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        # Room for the signature reserved up front: pyHanko would otherwise sign once more to measure it.
        return off_the_event_loop(lambda: signers.sign_pdf(writer, meta, signer=self._signer,
                                                           bytes_reserved=SIGNATURE_ROOM).getvalue())


def sign_pdf(pdf_bytes: bytes, keyring: "KeyRing") -> bytes:
    return PdfSigner(keyring).sign_pdf(pdf_bytes)


def off_the_event_loop(call: Callable[[], T]) -> T:
    """pyHanko's synchronous calls run their own asyncio loop (``asyncio.run``), which a thread
    already running one refuses (an async caller; Playwright's sync API in the browser tests):
    there the call runs in a short-lived thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
