"""The message gateway's contract, passed alike by the embedded outbox folder and by the AWS
gateways: a message is carried whole (Chinese text intact, subject for mail), the call returns
the provider's id, and a message that cannot be carried raises instead of returning one - the
outbox then retries it.

SES and SNS run on moto's server (real HTTP on loopback); what moto received is read back from
its in-process backend. moto does not implement ``pinpoint-sms-voice-v2`` (End User Messaging
SMS), so that gateway is tested with botocore's Stubber instead: the request is still checked
against the service's own API model, but nothing goes over HTTP."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from botocore.exceptions import ClientError

from iaas.keyring import LocalKeyRing
from iaas.messaging import Envelope, LocalFolderGateway
from tests.contracts.conftest import REGION, unique

MOTO_ACCOUNT = "123456789012"  # moto's default account
BODY = "您的验证码是 246810，5分钟内有效。Your code is 246810."


@dataclass
class Harness:
    gateway: object
    received: Callable[[str], tuple[str, str | None, str]]  # provider id -> (recipient, subject, body)
    undeliverable: Callable[[], tuple[object, Envelope]]  # a gateway and an envelope it must refuse


def _local(tmp_path, channel):
    gateway = LocalFolderGateway(tmp_path / "outbox", LocalKeyRing.generate())

    def received(provider_id):
        [message] = [m for m in gateway.delivered() if provider_id.endswith(m.reference)]
        return message.recipient, message.subject, message.body

    def undeliverable():
        # The disk refuses (a file where the channel's folder belongs: root is refused too).
        (tmp_path / "outbox").mkdir(exist_ok=True)
        (tmp_path / "outbox" / channel).write_text("in the way")
        return gateway, Envelope(channel, "someone", None, "x", "msg-2")

    return Harness(gateway, received, undeliverable)


def _ses(aws):
    from moto.ses.models import ses_backends

    from iaas.messaging.ses import SesMailGateway

    sender = f"{unique('notices')}@pinghe-life.example"
    aws("sesv2").create_email_identity(EmailIdentity=sender)

    def received(provider_id):
        [message] = [m for m in ses_backends[MOTO_ACCOUNT][REGION].sent_messages if m.id == provider_id]
        return message.destinations["ToAddresses"][0], message.subject, message.body

    def undeliverable():  # SES refuses a sender it has not verified; the gateway must not swallow that
        return SesMailGateway(aws("sesv2"), "stranger@unverified.example"), _envelope("email")

    return Harness(SesMailGateway(aws("sesv2"), sender), received, undeliverable)


def _sns(aws):
    from moto.sns.models import sns_backends

    from iaas.messaging.sms import SnsSmsGateway

    def received(provider_id):
        recipient, body = sns_backends[MOTO_ACCOUNT][REGION].sms_messages[provider_id]
        return recipient, None, body

    gateway = SnsSmsGateway(aws("sns"), sender_id="PINGHE")

    def undeliverable():
        return gateway, Envelope("sms", "+86 not a number", None, "x", "msg-2")

    return Harness(SnsSmsGateway(aws("sns"), sender_id="PINGHE"), received, undeliverable)


def _envelope(channel):
    if channel == "email":
        return Envelope("email", "li.na@example.cn", "缴费通知 Premium due", BODY, "msg-1")
    return Envelope("sms", "+8613812345678", None, BODY, "msg-1")


@pytest.fixture(params=["local-email", "local-sms", "ses", "sns"])
def harness(request, tmp_path):
    kind = request.param
    if kind.startswith("local-"):
        return _local(tmp_path, kind.removeprefix("local-")), kind.removeprefix("local-")
    aws = request.getfixturevalue("aws")
    return (_ses(aws), "email") if kind == "ses" else (_sns(aws), "sms")


def test_a_message_is_carried_whole_and_its_provider_id_returned(harness):
    h, channel = harness
    envelope = _envelope(channel)
    provider_id = h.gateway.send(envelope)
    assert isinstance(provider_id, str) and provider_id
    recipient, subject, body = h.received(provider_id)
    assert recipient == envelope.recipient and body == BODY
    if channel == "email":
        assert subject == envelope.subject


def test_a_message_that_cannot_be_carried_raises(harness):
    h, _ = harness
    gateway, envelope = h.undeliverable()
    with pytest.raises((OSError, ClientError)):  # the disk's refusal, or the provider's
        gateway.send(envelope)


@pytest.mark.parametrize("kind", ["ses", "sns"])
def test_an_aws_gateway_carries_only_its_own_channel(aws, kind):
    harness = _ses(aws) if kind == "ses" else _sns(aws)
    wrong = _envelope("sms" if kind == "ses" else "email")
    with pytest.raises(ValueError):
        harness.gateway.send(wrong)


# -- End User Messaging SMS: botocore's Stubber (moto has no pinpoint-sms-voice-v2) -----------

@pytest.fixture
def stubbed_sms(aws):
    from botocore.stub import Stubber

    from iaas.messaging.sms import EndUserMessagingSmsGateway

    client = aws("pinpoint-sms-voice-v2")
    with Stubber(client) as stubber:
        yield EndUserMessagingSmsGateway(client, "+6580001234", configuration_set="pinghe-portal"), stubber


def test_end_user_messaging_sends_a_transactional_text_from_the_origination_number(stubbed_sms):
    gateway, stubber = stubbed_sms
    stubber.add_response("send_text_message", {"MessageId": "eum-0001"}, expected_params={
        "DestinationPhoneNumber": "+8613812345678", "OriginationIdentity": "+6580001234", "MessageBody": BODY,
        "MessageType": "TRANSACTIONAL", "ConfigurationSetName": "pinghe-portal", "Context": {"reference": "msg-1"},
    })
    assert gateway.send(_envelope("sms")) == "eum-0001"
    stubber.assert_no_pending_responses()


def test_end_user_messaging_refusing_a_message_raises(stubbed_sms):
    gateway, stubber = stubbed_sms
    stubber.add_client_error("send_text_message", "ValidationException", "destination is opted out")
    with pytest.raises(ClientError, match="opted out"):
        gateway.send(_envelope("sms"))
    with pytest.raises(ValueError):  # never even asked: not an E.164 number
        gateway.send(Envelope("sms", "13812345678", None, BODY, "msg-3"))
