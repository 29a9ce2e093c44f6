"""Reading inbound SMS from an SQS queue subscribed to the SNS topic (boto3). A message is
deleted only once it is handled and committed (``handle`` returned): a crash before that
leaves it for redelivery, and the inbound id makes the second delivery a no-op. Envelopes
that can never be accepted (forged, another topic, not an SMS) are deleted at once."""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from iaas.sms_inbound import InboundSms, from_end_user_messaging
from iaas.sms_inbound.sns import NOTIFICATION, SnsRejected, SnsVerifier

log = logging.getLogger(__name__)


class SqsInbound:
    def __init__(self, client: Any, queue_url: str, verifier: SnsVerifier | None, *, raw_delivery: bool = False) -> None:
        """``verifier``: checks the SNS envelope in each body; ``raw_delivery``: the subscription
        sends the bare message instead (then the queue's own access policy is the only proof)."""
        self._client = client
        self._queue_url = queue_url
        self._verifier = verifier
        self._raw = raw_delivery

    def poll(self, handle: Callable[[list[InboundSms]], object], *, max_messages: int = 10,
             wait_seconds: int = 0) -> int:
        """Receive one batch and hand its SMS to ``handle`` together (in order; it answers them
        in one transaction where it can); returns how many were taken off the queue (handled
        or refused). Deleted only after ``handle`` returned: if it raises, the whole batch comes
        back after the visibility timeout, and what did commit is not answered twice."""
        answer = self._client.receive_message(QueueUrl=self._queue_url, MaxNumberOfMessages=max(1, min(10, max_messages)),
                                              WaitTimeSeconds=max(0, min(20, wait_seconds)))
        taken = answer.get("Messages", [])
        batch = [sms for sms in (self._parse(message.get("Body") or "") for message in taken) if sms is not None]
        if batch:
            handle(batch)
        if taken:
            done = self._client.delete_message_batch(QueueUrl=self._queue_url, Entries=[
                {"Id": str(n), "ReceiptHandle": message["ReceiptHandle"]} for n, message in enumerate(taken)])
            for failed in done.get("Failed", []):  # it comes back and is answered as a repeat: nothing
                log.warning("SQS message not deleted: %s", failed.get("Message") or failed.get("Code"))
        return len(taken)

    def _parse(self, body: str) -> InboundSms | None:
        if self._raw:
            return from_end_user_messaging(body, "sqs")
        try:
            envelope = self._verifier.verify(json.loads(body)) if self._verifier else None
        except (ValueError, SnsRejected) as exc:
            log.warning("SQS message refused: %s", exc)
            return None
        if envelope is None or envelope.get("Type") != NOTIFICATION:
            return None
        return from_end_user_messaging(str(envelope.get("Message")), "sqs")
