"""SMS out through AWS: End User Messaging SMS (``pinpoint-sms-voice-v2`` SendTextMessage, from
the insurer's own origination number or sender id, the recommended way) or SNS Publish to a
phone number (simpler, no number to register). Both send transactional messages - codes and
notices, never marketing - and carry the outbox reference where the API has room for it.
Replies coming back in are the SMS channel's business (``saas/sms``), not these gateways'."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iaas.messaging import Envelope


def _check(envelope: "Envelope") -> None:
    if envelope.channel != "sms":
        raise ValueError(f"an SMS gateway carries SMS, not {envelope.channel}")
    if not envelope.recipient.startswith("+"):  # E.164, as paas.customers.identity stores mobiles
        raise ValueError("an SMS recipient must be an E.164 number (+8613812345678)")


class EndUserMessagingSmsGateway:
    def __init__(self, client: Any, origination_identity: str, *, configuration_set: str | None = None) -> None:
        self._client = client
        self._origination = origination_identity
        self._configuration_set = configuration_set

    def send(self, envelope: "Envelope") -> str:
        _check(envelope)
        request: dict[str, Any] = {
            "DestinationPhoneNumber": envelope.recipient,
            "OriginationIdentity": self._origination,
            "MessageBody": envelope.body,
            "MessageType": "TRANSACTIONAL",
            "Context": {"reference": envelope.reference},
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        return self._client.send_text_message(**request)["MessageId"]


class SnsSmsGateway:
    def __init__(self, client: Any, *, sender_id: str | None = None) -> None:
        self._client = client
        self._attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if sender_id:
            self._attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": sender_id}

    def send(self, envelope: "Envelope") -> str:
        _check(envelope)
        return self._client.publish(PhoneNumber=envelope.recipient, Message=envelope.body,
                                    MessageAttributes=self._attributes)["MessageId"]
