"""moto's server mode on loopback for the SQS job queue: a real HTTP endpoint boto3 talks to
as it would to AWS (``ThreadedMotoServer``), and a fresh queue with its dead-letter queue per
test."""
from __future__ import annotations

import json
import uuid

import pytest

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
               "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="session")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_env(monkeypatch, moto_endpoint):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", moto_endpoint)
    return {**CREDENTIALS, "AWS_ENDPOINT_URL_SQS": moto_endpoint}


def sqs_client(endpoint: str):
    import boto3

    return boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def create_queues(endpoint: str, *, max_receives: int = 5) -> tuple[str, str]:
    """A queue and its dead-letter queue, as terraform makes them: (queue url, dead-letter url)."""
    sqs = sqs_client(endpoint)
    name = f"jobs-{uuid.uuid4().hex[:8]}"
    dead = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    live = sqs.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": "120",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": str(max_receives)})})["QueueUrl"]
    return live, dead
