"""What the front ends take an inbound SMS as (the port's ``InboundSms``), and reading one
from an SNS delivery: the envelope verified on its raw bytes first, a subscription confirmed,
a notification's message read. For the HTTPS endpoint; the queue reader does the same in
``iaas.sms_inbound.sqs``."""
from __future__ import annotations

import json

from iaas.sms_inbound import InboundSms, from_end_user_messaging
from iaas.sms_inbound.sns import NOTIFICATION, SUBSCRIPTION_CONFIRMATION, SnsRejected, SnsVerifier

__all__ = ["InboundSms", "SnsRejected", "read_sns"]
MAX_BYTES = 256 * 1024  # SNS's own limit on a message


def read_sns(verifier: SnsVerifier, raw: bytes) -> InboundSms | None:
    """The SMS a verified SNS delivery carries, or None (a confirmed subscription, another
    kind of message). Raises ``SnsRejected`` for anything not from SNS for our topic, and
    ``OSError`` when the subscription could not be confirmed (SNS sends it again)."""
    if len(raw) > MAX_BYTES:
        raise SnsRejected("too large")
    try:
        envelope = verifier.verify(json.loads(raw))
    except ValueError as exc:
        raise SnsRejected("not JSON") from exc
    if envelope["Type"] == SUBSCRIPTION_CONFIRMATION:
        verifier.confirm_subscription(envelope)
        return None
    if envelope["Type"] != NOTIFICATION:
        return None
    return from_end_user_messaging(str(envelope.get("Message")), "sns")
