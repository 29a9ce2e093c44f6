"""SNS envelopes signed with a key and certificate of our own, built the way AWS documents
it (written out here, apart from the verifier's own code), and a fetcher serving that
certificate for one SNS address."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

TOPIC = "arn:aws:sns:ap-southeast-1:123456789012:portal-sms-inbound"
CERT_URL = "https://sns.ap-southeast-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem"


def key_and_certificate() -> tuple[rsa.RSAPrivateKey, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))
    return key, cert.public_bytes(serialization.Encoding.PEM)


class CertificateServer:
    """Stands in for the HTTPS fetch: serves the certificate at CERT_URL, counts fetches."""

    def __init__(self, pem: bytes) -> None:
        self.pem = pem
        self.fetched: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.fetched.append(url)
        if url == CERT_URL:
            return self.pem
        if "SubscribeURL" in url or "Action=ConfirmSubscription" in url:
            return b"<ConfirmSubscriptionResponse/>"
        raise OSError(f"no such address {url}")


def _canonical(envelope: dict) -> bytes:
    if envelope["Type"] == "Notification":
        keys = ["Message", "MessageId"] + (["Subject"] if "Subject" in envelope else []) + ["Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{k}\n{envelope[k]}\n" for k in keys).encode()


def sign(envelope: dict, key: rsa.RSAPrivateKey, version: str = "2") -> dict:
    digest = hashes.SHA1() if version == "1" else hashes.SHA256()
    signature = key.sign(_canonical(envelope), padding.PKCS1v15(), digest)
    return {**envelope, "SignatureVersion": version, "Signature": base64.b64encode(signature).decode(),
            "SigningCertURL": CERT_URL}


def sms_message(body: str, *, sender: str = "+8613800000000", inbound_id: str = "in-1",
                previous: str | None = None) -> str:
    data = {"originationNumber": sender, "destinationNumber": "+8610690000", "messageKeyword": "KEYWORD_123",
            "messageBody": body, "inboundMessageId": inbound_id}
    if previous:
        data["previousPublishedMessageId"] = previous
    return json.dumps(data, ensure_ascii=False)


def notification(message: str, *, topic: str = TOPIC, message_id: str = "m-1", subject: str | None = None) -> dict:
    envelope = {"Type": "Notification", "MessageId": message_id, "TopicArn": topic, "Message": message,
                "Timestamp": "2026-11-27T02:00:00.000Z", "UnsubscribeURL": "https://sns.ap-southeast-1.amazonaws.com/?Action=Unsubscribe"}
    if subject is not None:
        envelope["Subject"] = subject
    return envelope


def subscription_confirmation(*, topic: str = TOPIC) -> dict:
    return {"Type": "SubscriptionConfirmation", "MessageId": "c-1", "TopicArn": topic, "Token": "tok",
            "Message": "You have chosen to subscribe", "Timestamp": "2026-11-27T02:00:00.000Z",
            "SubscribeURL": "https://sns.ap-southeast-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok"}
