"""The job queue on Amazon SQS, with a dead-letter queue.

SQS is another system than the database, so a job is sent only after the change that caused
it was committed (``transactional = False``); what it would deliver stays in the database
(the outbox), and the worker's periodic sweep re-sends whatever a process that died between
the commit and the send left behind. A claim is a receive with a visibility timeout (the
lease); ``attempts`` is SQS's own receive count. Poison jobs are moved to the dead-letter
queue by the worker at its limit; the queue's redrive policy (terraform) is the backstop for
a message that kills every worker that takes it."""
from __future__ import annotations

import json
from typing import Any

MAX_DELAY = 900  # SQS caps DelaySeconds and visibility changes for a retry at 15 minutes here


class SqsJobQueue:
    transactional = False

    def __init__(self, client, queue_url: str, dead_letter_url: str) -> None:
        self._sqs = client
        self._url = queue_url
        self._dead_url = dead_letter_url

    @classmethod
    def from_urls(cls, queue_url: str, dead_letter_url: str, *, endpoint_url: str | None = None,
                  region: str | None = None) -> "SqsJobQueue":
        import boto3  # the aws extra; the embedded default never imports it

        return cls(boto3.client("sqs", endpoint_url=endpoint_url or None, region_name=region or None),
                   queue_url, dead_letter_url)

    def enqueue(self, name: str, payload: dict[str, Any], *, delay_seconds: int = 0, connection=None) -> None:
        body = json.dumps({"name": name, "payload": payload}, sort_keys=True)
        self._sqs.send_message(QueueUrl=self._url, MessageBody=body, DelaySeconds=min(delay_seconds, MAX_DELAY))

    def claim(self, *, lease_seconds: int = 60, wait_seconds: float = 0):
        from iaas.jobs import Job

        answer = self._sqs.receive_message(
            QueueUrl=self._url, MaxNumberOfMessages=1, VisibilityTimeout=lease_seconds,
            WaitTimeSeconds=min(20, int(wait_seconds)), AttributeNames=["ApproximateReceiveCount"])
        messages = answer.get("Messages") or []
        if not messages:
            return None
        message = messages[0]
        body = json.loads(message["Body"])
        attempts = int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1))
        return Job(body["name"], body.get("payload") or {}, attempts, message["ReceiptHandle"] + "\n" + message["Body"])

    def complete(self, job) -> None:
        self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=_handle(job))

    def retry(self, job, *, delay_seconds: int, error: str) -> None:
        # Visible again after the backoff; the next receive counts the next attempt.
        self._sqs.change_message_visibility(QueueUrl=self._url, ReceiptHandle=_handle(job),
                                            VisibilityTimeout=min(delay_seconds, MAX_DELAY))

    def extend(self, job, *, lease_seconds: int) -> None:
        self._sqs.change_message_visibility(QueueUrl=self._url, ReceiptHandle=_handle(job),
                                            VisibilityTimeout=min(lease_seconds, 43_200))

    def release(self, job) -> None:
        self._sqs.change_message_visibility(QueueUrl=self._url, ReceiptHandle=_handle(job), VisibilityTimeout=0)

    def bury(self, job, *, error: str) -> None:
        body = job.receipt.split("\n", 1)[1]
        self._sqs.send_message(QueueUrl=self._dead_url, MessageBody=body, MessageAttributes={
            "error": {"DataType": "String", "StringValue": error[:1000] or "-"}})
        self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=_handle(job))

    def depth(self) -> dict[str, int]:
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]
        live = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=names)["Attributes"]
        dead = self._sqs.get_queue_attributes(QueueUrl=self._dead_url, AttributeNames=names[:1])["Attributes"]
        return {"ready": sum(int(live.get(name, 0)) for name in names),
                "dead": int(dead.get("ApproximateNumberOfMessages", 0))}

    def ping(self, *, connection=None) -> None:
        self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])

    wake_channel = None  # nothing a transaction's statement could wake

    def announce(self, *, connection) -> None:
        """Not transactional: its jobs are sent after the commit."""

    def notify(self) -> None:
        """Workers long-poll SQS: nothing to wake."""

    def waiting(self, name: str, *, connection=None) -> list:
        return []  # SQS cannot list what waits: each delivery job runs (and mostly finds nothing)

    def discard(self, tokens: list, *, connection=None) -> None:
        pass


def _handle(job) -> str:
    return job.receipt.split("\n", 1)[0]
