"""Inbound SMS from the provider: the SNS HTTPS endpoint (verified envelopes only, the
subscription confirmed, a redelivery answered once) and an SQS queue on moto's server on
loopback, read by the same function the worker calls."""
from __future__ import annotations

import json

import boto3
import pytest
from moto.server import ThreadedMotoServer

from iaas.sms_inbound.sns import SnsVerifier
from iaas.sms_inbound.sqs import SqsInbound
from portal.sms_wiring import poll_sms_queue
from saas.sms import sns_endpoint
from tests.servicing_support import make_holder
from tests.sms_support import sms_to
from tests.sns_support import (TOPIC, CertificateServer, key_and_certificate, notification, sign, sms_message,
                               subscription_confirmation)

MOBILE = "+8613800000000"


@pytest.fixture(scope="module")
def keys():
    return key_and_certificate()


@pytest.fixture
def server(keys):
    return CertificateServer(keys[1])


@pytest.fixture
def verifier(server):
    return SnsVerifier([TOPIC], fetch=server)


@pytest.fixture
def sns_client(app, verifier):
    sns_endpoint.install(app, verifier)
    return app.test_client()


@pytest.fixture
def holder(uow):
    return make_holder(uow, "sns@example.com", MOBILE)


def _post(client, envelope) -> int:
    return client.post(sns_endpoint.PATH, data=json.dumps(envelope), content_type="text/plain; charset=UTF-8").status_code


def test_a_verified_notification_is_answered_once(sns_client, keys, uow, holder):
    envelope = sign(notification(sms_message("保单", inbound_id="sns-1")), keys[0])
    assert _post(sns_client, envelope) == 200
    assert _post(sns_client, {**sign(notification(sms_message("保单", inbound_id="sns-1"), message_id="m-2"), keys[0])}) == 200
    replies = sms_to(uow, MOBILE, kind="sms_reply")
    assert len(replies) == 1 and holder.whole_life.policy_number in replies[0].body


def test_a_forged_or_other_topic_notification_is_refused_and_not_answered(sns_client, keys, uow, holder):
    forger, _pem = key_and_certificate()
    assert _post(sns_client, sign(notification(sms_message("POL", inbound_id="f-1")), forger)) == 400
    other = sign(notification(sms_message("POL", inbound_id="f-2"), topic=TOPIC.replace("123456789012", "999999999999")), keys[0])
    assert _post(sns_client, other) == 400
    assert sns_client.post(sns_endpoint.PATH, data=b"not json").status_code == 400
    assert sms_to(uow, MOBILE) == []


def test_control_characters_in_a_verified_message_are_answered(sns_client, keys, uow, holder):
    envelope = sign(notification(sms_message("\x00POL\x1b", inbound_id="ctl-1")), keys[0])
    assert _post(sns_client, envelope) == 200
    assert holder.whole_life.policy_number in sms_to(uow, MOBILE, kind="sms_reply")[0].body


def test_the_subscription_is_confirmed(sns_client, keys, server):
    assert _post(sns_client, sign(subscription_confirmation(), keys[0])) == 200
    assert "Action=ConfirmSubscription" in server.fetched[-1]


def test_a_verified_message_that_is_not_an_sms_is_acknowledged_and_ignored(sns_client, keys, uow, holder):
    assert _post(sns_client, sign(notification("just text"), keys[0])) == 200
    assert sms_to(uow, MOBILE) == []


def test_the_endpoint_is_not_served_without_a_topic(web):
    assert web.client.post(sns_endpoint.PATH, data=b"{}").status_code == 404


@pytest.fixture(scope="module")
def moto_sqs():
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    client = boto3.client("sqs", region_name="ap-southeast-1", endpoint_url=f"http://{host}:{port}",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    yield client
    moto.stop()


@pytest.fixture
def queue(moto_sqs, request):
    url = moto_sqs.create_queue(QueueName=f"sms-{request.node.name[:40].replace('[', '-').replace(']', '')}")["QueueUrl"]
    yield url
    moto_sqs.delete_queue(QueueUrl=url)


def _count(client, url) -> int:
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                                                           "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attributes["Attributes"].values())


def test_the_queue_reader_answers_verified_messages_and_drops_forged_ones(platform, uow, holder, moto_sqs, queue, keys,
                                                                           verifier):
    forger, _pem = key_and_certificate()
    bodies = [sign(notification(sms_message("POL", inbound_id="q-1")), keys[0]),
              sign(notification(sms_message("POL", inbound_id="q-1"), message_id="m-again"), keys[0]),  # redelivered
              sign(notification(sms_message("WD 0001 1", inbound_id="q-2")), forger)]
    for body in bodies:
        moto_sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(body))
    reader = SqsInbound(moto_sqs, queue, verifier)
    taken = 0
    while taken < 3:
        got = poll_sms_queue(platform, reader, wait_seconds=1)
        assert got, "the queue ran dry before all three came back"
        taken += got
    assert _count(moto_sqs, queue) == 0
    replies = sms_to(uow, MOBILE, kind="sms_reply")
    assert len(replies) == 1 and holder.term.policy_number in replies[0].body


def test_raw_delivery_reads_the_bare_message(platform, uow, holder, moto_sqs, queue):
    moto_sqs.send_message(QueueUrl=queue, MessageBody=sms_message("DUE", inbound_id="raw-1"))
    assert poll_sms_queue(platform, SqsInbound(moto_sqs, queue, None, raw_delivery=True), wait_seconds=1) == 1
    assert len(sms_to(uow, MOBILE, kind="sms_reply")) == 1


def test_a_worker_reads_the_inbound_queue_between_jobs_when_one_is_configured(platform, uow, holder, moto_sqs,
                                                                            queue, keys, monkeypatch):
    from paas.jobs.registry import PERIODIC, handler_for
    from portal.config import Settings
    from portal.sms_wiring import POLL_JOB, register_poll_job

    assert not register_poll_job(Settings.from_env({}))  # no queue configured: no polling task
    endpoint = moto_sqs.meta.endpoint_url
    for name, value in (("AWS_DEFAULT_REGION", "ap-southeast-1"), ("AWS_ACCESS_KEY_ID", "testing"),
                        ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, value)
    settings = Settings.from_env({"PORTAL_SMS_SQS_QUEUE_URL": queue, "PORTAL_SMS_SQS_RAW_DELIVERY": "1",
                                  "PORTAL_SMS_SQS_ENDPOINT": endpoint})
    assert register_poll_job(settings) and POLL_JOB in PERIODIC
    moto_sqs.send_message(QueueUrl=queue, MessageBody=sms_message("POL", inbound_id="worker-1"))
    handler_for(POLL_JOB)(platform, {})
    assert _count(moto_sqs, queue) == 0
    assert len(sms_to(uow, MOBILE, kind="sms_reply")) == 1
