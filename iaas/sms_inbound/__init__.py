"""Inbound SMS port: what a sender's reply looks like once it reaches us, whichever way it
came. AWS End User Messaging SMS publishes two-way messages to an SNS topic; we take them
from an HTTPS subscription (``sns.SnsVerifier`` checks the envelope) or from an SQS queue
subscribed to the topic (``sqs.SqsInbound``). Embedded default: the console's SMS simulator
and ``portal sms receive``, which build the same ``InboundSms`` by hand."""
from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["InboundSms", "from_end_user_messaging"]


@dataclass(frozen=True)
class InboundSms:
    sender: str  # originationNumber, E.164
    body: str  # messageBody, as typed
    inbound_id: str  # inboundMessageId: the same message delivered twice has the same id
    source: str  # sns / sqs / console / cli
    recipient: str | None = None  # destinationNumber: our number it was sent to
    keyword: str | None = None  # messageKeyword, as the provider matched it (we parse the body ourselves)
    previous_published_id: str | None = None  # previousPublishedMessageId: the message of ours it answers


def _text(value: object, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def from_end_user_messaging(message: str, source: str) -> InboundSms | None:
    """The ``Message`` of an SNS notification from End User Messaging SMS; None when it is not
    one (another publisher on the topic, a malformed body): nothing to answer."""
    try:
        data = json.loads(message)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    sender, inbound_id = _text(data.get("originationNumber"), 32), _text(data.get("inboundMessageId"), 100)
    body = data.get("messageBody")
    if sender is None or inbound_id is None or not isinstance(body, str):
        return None
    return InboundSms(sender=sender, body=body[:1600], inbound_id=inbound_id, source=source,
                      recipient=_text(data.get("destinationNumber"), 32), keyword=_text(data.get("messageKeyword"), 40),
                      previous_published_id=_text(data.get("previousPublishedMessageId"), 100))
