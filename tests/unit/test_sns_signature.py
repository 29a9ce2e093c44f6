"""The SNS envelope verifier with keys and certificates of our own: genuine envelopes of both
signature versions pass; forged, altered, other-topic, other-host and unknown-version ones
are refused; the certificate is fetched once."""
from __future__ import annotations

import pytest

from iaas.sms_inbound.sns import SnsRejected, SnsVerifier, https_fetch, sns_url_allowed
from tests.sns_support import (CERT_URL, TOPIC, CertificateServer, key_and_certificate, notification, sign,
                               sms_message, subscription_confirmation)


@pytest.fixture(scope="module")
def keys():
    return key_and_certificate()


@pytest.fixture
def server(keys):
    return CertificateServer(keys[1])


@pytest.fixture
def verifier(server):
    return SnsVerifier([TOPIC], fetch=server)


@pytest.mark.parametrize("version", ["1", "2"])
def test_a_genuine_notification_of_either_version_passes(verifier, keys, version):
    envelope = sign(notification(sms_message("POL")), keys[0], version)
    assert verifier.verify(envelope)["Message"] == envelope["Message"]


def test_a_notification_with_a_subject_signs_the_subject(verifier, keys):
    envelope = sign(notification(sms_message("POL"), subject="SMS"), keys[0])
    verifier.verify(envelope)
    with pytest.raises(SnsRejected):
        verifier.verify({**envelope, "Subject": "changed"})


def test_the_certificate_is_fetched_once(verifier, keys, server):
    for n in range(3):
        verifier.verify(sign(notification(sms_message("POL"), message_id=f"m-{n}"), keys[0]))
    assert server.fetched == [CERT_URL]


def test_a_forged_signature_is_refused(verifier, keys):
    forger, _pem = key_and_certificate()  # someone else's key, claiming the SNS certificate
    with pytest.raises(SnsRejected, match="bad signature"):
        verifier.verify(sign(notification(sms_message("WD 0123 500")), forger))


def test_an_altered_message_is_refused(verifier, keys):
    envelope = sign(notification(sms_message("POL")), keys[0])
    with pytest.raises(SnsRejected):
        verifier.verify({**envelope, "Message": sms_message("WD 0123 50000")})


def test_a_signature_for_a_sha1_envelope_does_not_pass_as_version_2(verifier, keys):
    envelope = sign(notification(sms_message("POL")), keys[0], "1")
    with pytest.raises(SnsRejected):
        verifier.verify({**envelope, "SignatureVersion": "2"})


def test_another_topic_is_refused_before_any_fetch(verifier, keys, server):
    other = "arn:aws:sns:ap-southeast-1:999999999999:someone-elses"
    with pytest.raises(SnsRejected, match="not our topic"):
        verifier.verify(sign(notification(sms_message("POL"), topic=other), keys[0]))
    assert server.fetched == []


@pytest.mark.parametrize("url", [
    "http://sns.ap-southeast-1.amazonaws.com/cert.pem",  # not HTTPS
    "https://sns.ap-southeast-1.amazonaws.com.evil.example/cert.pem",
    "https://evil.example/sns.ap-southeast-1.amazonaws.com/cert.pem",
    "https://s3.amazonaws.com/cert.pem",
    "https://sns.ap-southeast-1.amazonaws.com:8443/cert.pem",
    "https://user@sns.ap-southeast-1.amazonaws.com/cert.pem",
    "https://sns.ap-southeast-1.amazonaws.com/cert.txt",
])
def test_a_certificate_from_anywhere_but_sns_over_https_is_refused(verifier, keys, server, url):
    envelope = {**sign(notification(sms_message("POL")), keys[0]), "SigningCertURL": url}
    with pytest.raises(SnsRejected, match="certificate not from SNS"):
        verifier.verify(envelope)
    assert server.fetched == []


@pytest.mark.parametrize("change", [{"SignatureVersion": "3"}, {"SignatureVersion": None}, {"Signature": "***"},
                                    {"Type": "Other"}, {"MessageId": None}])
def test_a_malformed_envelope_is_refused(verifier, keys, change):
    envelope = {**sign(notification(sms_message("POL")), keys[0]), **change}
    with pytest.raises(SnsRejected):
        verifier.verify({k: v for k, v in envelope.items() if v is not None})


@pytest.mark.parametrize("junk", [None, [], "text", 42, {}])
def test_anything_that_is_not_an_envelope_is_refused(verifier, junk):
    with pytest.raises(SnsRejected):
        verifier.verify(junk)


def test_a_subscription_confirmation_is_verified_and_confirmed_on_sns_only(verifier, keys, server):
    envelope = verifier.verify(sign(subscription_confirmation(), keys[0]))
    verifier.confirm_subscription(envelope)
    assert server.fetched[-1].startswith("https://sns.ap-southeast-1.amazonaws.com/?Action=ConfirmSubscription")
    with pytest.raises(SnsRejected):
        verifier.confirm_subscription({**envelope, "SubscribeURL": "https://evil.example/?Action=ConfirmSubscription"})


def test_the_default_fetch_refuses_plain_http_and_other_hosts_without_connecting():
    assert sns_url_allowed("https://sns.cn-north-1.amazonaws.com/x.pem")
    assert sns_url_allowed("https://sns.us-gov-west-1.amazonaws.com/x.pem")
    for url in ("http://sns.us-east-1.amazonaws.com/x.pem", "https://127.0.0.1/x.pem", "file:///etc/passwd"):
        with pytest.raises(SnsRejected):
            https_fetch(url)
