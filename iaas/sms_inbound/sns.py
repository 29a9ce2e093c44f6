"""Verifying an Amazon SNS envelope ourselves (boto3 has no verifier): the signature over the
canonical string AWS documents, with the certificate fetched from the region's SNS host over
HTTPS only, cached, and the topic we subscribed to. SignatureVersion 1 is RSA with SHA1, 2 is
RSA with SHA256. Anything else is refused before any certificate is fetched.
https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html"""
from __future__ import annotations

import base64
import binascii
import re
import ssl
import threading
import urllib.request
from collections.abc import Callable, Collection, Mapping
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

NOTIFICATION = "Notification"
SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation"
UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation"
_SIGNED_KEYS = {
    NOTIFICATION: ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    SUBSCRIPTION_CONFIRMATION: ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
    UNSUBSCRIBE_CONFIRMATION: ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
}
_HASHES = {"1": hashes.SHA1, "2": hashes.SHA256}
_SNS_HOST = re.compile(r"sns\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com")
_MAX_CERTIFICATES = 32


class SnsRejected(Exception):
    """Not a genuine SNS envelope for our topic: answered 400 (or dropped from the queue)."""


def sns_url_allowed(url: object) -> bool:
    """An https URL on ``sns.<region>.amazonaws.com`` (no port, no user, no other host)."""
    if not isinstance(url, str) or len(url) > 2000:
        return False
    parts = urlsplit(url)
    return (parts.scheme == "https" and parts.hostname is not None and _SNS_HOST.fullmatch(parts.hostname) is not None
            and parts.netloc == parts.hostname and parts.port is None)


def https_fetch(url: str) -> bytes:
    """The default fetcher: HTTPS with the system's trust store and hostname check."""
    if not sns_url_allowed(url):
        raise SnsRejected("not an SNS address")
    request = urllib.request.Request(url, headers={"User-Agent": "portal-sns-verifier"})
    with urllib.request.urlopen(request, timeout=5, context=ssl.create_default_context()) as response:  # noqa: S310
        return response.read(65536)


def string_to_sign(envelope: Mapping[str, object]) -> bytes:
    kind = envelope.get("Type")
    keys = _SIGNED_KEYS.get(kind) if isinstance(kind, str) else None
    if keys is None:
        raise SnsRejected("unknown message type")
    lines = []
    for key in keys:
        value = envelope.get(key)
        if value is None and key == "Subject":
            continue  # only a notification with a subject signs it
        if not isinstance(value, str):
            raise SnsRejected(f"{key} is missing")
        lines.append(f"{key}\n{value}\n")
    return "".join(lines).encode("utf-8")


class SnsVerifier:
    def __init__(self, topic_arns: Collection[str], *, fetch: Callable[[str], bytes] = https_fetch) -> None:
        self._topics = frozenset(topic_arns)
        self._fetch = fetch
        self._certificates: dict[str, rsa.RSAPublicKey] = {}
        self._lock = threading.Lock()

    def verify(self, envelope: object) -> Mapping[str, object]:
        """The envelope, once proven genuine and for one of our topics; raises ``SnsRejected``."""
        if not isinstance(envelope, Mapping):
            raise SnsRejected("not an SNS envelope")
        if envelope.get("TopicArn") not in self._topics:
            raise SnsRejected("not our topic")
        algorithm = _HASHES.get(str(envelope.get("SignatureVersion")))
        if algorithm is None:
            raise SnsRejected("unknown signature version")
        url = envelope.get("SigningCertURL")
        if not sns_url_allowed(url) or not str(url).endswith(".pem"):
            raise SnsRejected("certificate not from SNS")
        try:
            signature = base64.b64decode(str(envelope.get("Signature") or ""), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SnsRejected("signature is not base64") from exc
        data = string_to_sign(envelope)
        try:
            self._public_key(str(url)).verify(signature, data, padding.PKCS1v15(), algorithm())
        except InvalidSignature as exc:
            raise SnsRejected("bad signature") from exc
        return envelope

    def confirm_subscription(self, envelope: Mapping[str, object]) -> None:
        """Visit the SubscribeURL of a verified SubscriptionConfirmation (on SNS only)."""
        url = envelope.get("SubscribeURL")
        if not sns_url_allowed(url):
            raise SnsRejected("subscribe URL not on SNS")
        self._fetch(str(url))

    def _public_key(self, url: str) -> rsa.RSAPublicKey:
        with self._lock:
            key = self._certificates.get(url)
        if key is not None:
            return key
        try:
            certificate = x509.load_pem_x509_certificate(self._fetch(url))
        except (OSError, ValueError) as exc:
            raise SnsRejected("certificate could not be read") from exc
        key = certificate.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise SnsRejected("not an RSA certificate")
        with self._lock:
            if len(self._certificates) >= _MAX_CERTIFICATES:
                self._certificates.clear()  # SNS rotates rarely: a full cache is someone trying URLs
            self._certificates[url] = key
        return key
