"""Each port is chosen by the environment: nothing set means the embedded defaults (and no
boto3 at all); the cloud values build the AWS adapters, here against moto's server, and the
platform they make works end to end - a document stored in S3, a checkpoint under Object Lock,
the key ring sealed by KMS, mail leaving the outbox through SES."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from iaas.keyring.storage import LocalKeyRingFile
from iaas.messaging import LocalFolderGateway
from iaas.objects import LocalFolderStore, RoutedStore
from portal.cloud_config import CloudSettings
from portal.cloud_wiring import build_gateways, build_objects, keyring_file
from portal.config import ConfigurationError, Settings
from tests.contracts.conftest import REGION, unique


def _settings(tmp_path, **env):
    return Settings.from_env({"PORTAL_ENV": "test", "PORTAL_DATA_DIR": str(tmp_path / "var"),
                              "PORTAL_SECRET_KEY": "test-secret-key", **env})


def test_nothing_set_is_the_embedded_defaults(tmp_path):
    settings = _settings(tmp_path)
    objects = build_objects(settings)
    where = keyring_file(settings, objects)
    gateways = build_gateways(settings, where.load_or_create())
    assert isinstance(objects, LocalFolderStore) and isinstance(where, LocalKeyRingFile)
    assert isinstance(gateways["email"], LocalFolderGateway) and gateways["sms"] is gateways["email"]


def test_the_modules_import_without_boto3_and_the_defaults_never_load_it(tmp_path):
    probe = (
        "import sys, portal.app, portal.wiring, portal.cloud_wiring, iaas.objects.s3, iaas.keyring.kms, "
        "iaas.messaging.ses, iaas.messaging.sms, iaas.secrets.secretsmanager\n"
        "from portal.config import Settings\n"
        "from portal.wiring import build_platform\n"
        f"build_platform(Settings.from_env({{'PORTAL_DATA_DIR': {str(tmp_path)!r}}}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("name, value", [
    ("PORTAL_OBJECTS", "/srv/objects"), ("PORTAL_OBJECTS", "s3://"), ("PORTAL_AUDIT_CHECKPOINTS", "s3://b/p?x=1"),
    ("PORTAL_MAIL", "ses"), ("PORTAL_MAIL", "smtp:mail.example"), ("PORTAL_SMS", "twilio"),
    ("PORTAL_SMS", "end-user-messaging:"), ("PORTAL_KEYRING", "kms:"), ("PORTAL_KEYRING", "vault:x"),
    ("PORTAL_AUDIT_RETENTION_DAYS", "seven years"),
])
def test_a_bad_value_is_refused_by_name_at_start(tmp_path, name, value):
    with pytest.raises(ConfigurationError, match=name):
        CloudSettings.from_settings(_settings(tmp_path, **{name: value}))


def test_production_names_every_port_even_the_embedded_one(tmp_path):
    production = {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k" * 40, "PORTAL_DATA_DIR": str(tmp_path)}
    with pytest.raises(ConfigurationError, match="PORTAL_KEYRING .*PORTAL_MAIL .*PORTAL_SMS"):
        CloudSettings.from_settings(Settings.from_env({**production, "PORTAL_OBJECTS": "local"}))
    named = {"PORTAL_OBJECTS": "local", "PORTAL_KEYRING": "local", "PORTAL_MAIL": "outbox", "PORTAL_SMS": "off"}
    assert CloudSettings.from_settings(Settings.from_env({**production, **named})).sms == ("off", "")


def test_sms_off_leaves_no_sms_gateway_and_sns_takes_a_sender_id(tmp_path, moto_endpoint):
    from iaas.messaging.sms import EndUserMessagingSmsGateway, SnsSmsGateway

    keyring = LocalKeyRingFile(tmp_path / "k.json").load_or_create()
    assert "sms" not in build_gateways(_settings(tmp_path, PORTAL_SMS="off"), keyring)
    sns = build_gateways(_settings(tmp_path, PORTAL_SMS="sns:PINGHE", PORTAL_AWS_ENDPOINT_URL=moto_endpoint), keyring)
    assert isinstance(sns["sms"], SnsSmsGateway)
    eum = build_gateways(_settings(tmp_path, PORTAL_SMS="end-user-messaging:+6580001234"), keyring)
    assert isinstance(eum["sms"], EndUserMessagingSmsGateway)


@pytest.fixture
def cloud_account(aws, kms_key):
    """What terraform/ makes, in moto: the two buckets, the KMS key, a verified sender."""
    documents, audit = unique("portal-documents"), unique("portal-audit")
    location = {"LocationConstraint": REGION}
    aws("s3").create_bucket(Bucket=documents, CreateBucketConfiguration=location)
    aws("s3").create_bucket(Bucket=audit, ObjectLockEnabledForBucket=True, CreateBucketConfiguration=location)
    aws("sesv2").create_email_identity(EmailIdentity="notices@pinghe-life.example")
    return {"documents": documents, "audit": audit, "kms_key": kms_key}


@pytest.fixture
def cloud_platform(tmp_path, moto_endpoint, cloud_account):
    from iaas.database import create_database_engine
    from portal import migrate
    from portal.wiring import build_platform

    settings = _settings(
        tmp_path,
        PORTAL_OBJECTS=f"s3://{cloud_account['documents']}/documents",
        PORTAL_OBJECTS_KMS_KEY=cloud_account["kms_key"],
        PORTAL_AUDIT_CHECKPOINTS=f"s3://{cloud_account['audit']}/checkpoints",
        PORTAL_MAIL="ses:notices@pinghe-life.example",
        PORTAL_SMS="sns",
        PORTAL_KEYRING=f"kms:{cloud_account['kms_key']}",
        PORTAL_AWS_REGION=REGION,
        PORTAL_AWS_ENDPOINT_URL=moto_endpoint,
    )
    engine = create_database_engine(f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    migrate.upgrade(engine)
    yield build_platform(settings, engine=engine)
    engine.dispose()


def test_the_cloud_values_build_a_platform_on_aws_that_works(cloud_platform, cloud_account, aws, tmp_path):
    from moto.ses.models import ses_backends

    from iaas.messaging.ses import SesMailGateway
    from paas.audit import chain, checkpoints
    from paas.audit.chain import Actor
    from paas.messaging import outbox

    platform = cloud_platform
    assert isinstance(platform.objects, RoutedStore) and isinstance(platform.gateways["email"], SesMailGateway)
    s3 = aws("s3")
    # The key ring is sealed by KMS in the documents bucket, not in a local file.
    sealed = json.loads(s3.get_object(Bucket=cloud_account["documents"], Key="documents/keys/keyring.kms.json")["Body"].read())
    assert sealed["kms_key_id"] == cloud_account["kms_key"] and not (tmp_path / "var" / "keys" / "keyring.json").exists()
    # Documents go to the documents bucket, encrypted with the key.
    platform.objects.put("documents/7/abc", b"%PDF-1.7", content_type="application/pdf")
    head = s3.head_object(Bucket=cloud_account["documents"], Key="documents/documents/7/abc")
    assert head["ServerSideEncryption"] == "aws:kms"
    # A checkpoint goes to the locked bucket, and the chain verifies against it.
    with platform.unit_of_work() as uow:
        chain.record(uow, Actor("staff", 7, "员工七"), "test.event", subject="thing:1", detail={})
        uow.commit()
    with platform.unit_of_work() as uow:
        taken = checkpoints.take(uow.session, platform.keyring, platform.objects, uow.clock.now())
        assert checkpoints.verify(uow.session, platform.keyring, platform.objects).checkpoint_seq == taken.seq
    locked = s3.head_object(Bucket=cloud_account["audit"], Key=f"checkpoints/{taken.object_key}")
    assert locked["ObjectLockMode"] == "COMPLIANCE"
    # Mail queued with a change leaves through SES once the change is committed.
    with platform.unit_of_work() as uow:
        message = outbox.queue(uow, channel="email", kind="test", recipient="li.na@example.cn", locale="zh",
                               subject="缴费通知", body="您的保费将于下月到期。")
        uow.session.flush()
        message_id = message.id
        uow.commit()
    outbox.deliver_pending(platform)  # whether the commit delivered it already or a worker does now
    with platform.unit_of_work(read_only=True) as uow:
        from paas.messaging.models import OutboxMessage

        row = uow.session.get(OutboxMessage, message_id)
        status, provider_id = row.status, row.provider_id
    assert status == "sent"
    [sent] = [m for m in ses_backends["123456789012"][REGION].sent_messages if m.id == provider_id]
    assert sent.body == "您的保费将于下月到期。" and sent.destinations["ToAddresses"] == ["li.na@example.cn"]


def test_portal_keys_rotate_reseals_the_kms_ring(cloud_platform, cloud_account, aws, monkeypatch, tmp_path, moto_endpoint):
    from click.testing import CliRunner

    from portal.cli import main

    env = {"PORTAL_ENV": "test", "PORTAL_DATA_DIR": str(tmp_path / "var"), "PORTAL_SECRET_KEY": "test-secret-key",
           "PORTAL_OBJECTS": f"s3://{cloud_account['documents']}/documents",
           "PORTAL_KEYRING": f"kms:{cloud_account['kms_key']}", "PORTAL_AWS_REGION": REGION,
           "PORTAL_AWS_ENDPOINT_URL": moto_endpoint}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = cloud_platform.keyring.active_key_id
    result = CliRunner().invoke(main, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    sealed = json.loads(aws("s3").get_object(Bucket=cloud_account["documents"],
                                             Key="documents/keys/keyring.kms.json")["Body"].read())
    assert sealed["active"] != before and set(sealed["keys"]) == {before, sealed["active"]}
    assert sealed["active"] in result.output


def test_a_portal_process_started_with_the_cloud_environment_uses_aws(cloud_account, aws, tmp_path, moto_endpoint):
    """The real command in its own process, configured only by its environment (as an ECS task
    is), reaching moto over loopback: its checkpoint lands in the locked bucket and its key ring
    is the KMS-sealed one another process then verifies with."""
    import os
    from pathlib import Path

    portal = Path(sys.executable).with_name("portal")
    env = {**os.environ, "PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k" * 40, "PORTAL_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}", "PORTAL_PAYMENTS": "off",
           "PORTAL_OBJECTS": f"s3://{cloud_account['documents']}/documents",
           "PORTAL_OBJECTS_KMS_KEY": cloud_account["kms_key"],
           "PORTAL_AUDIT_CHECKPOINTS": f"s3://{cloud_account['audit']}/checkpoints",
           "PORTAL_KEYRING": f"kms:{cloud_account['kms_key']}", "PORTAL_MAIL": "ses:notices@pinghe-life.example",
           "PORTAL_SMS": "off", "PORTAL_AWS_REGION": REGION, "PORTAL_AWS_ENDPOINT_URL": moto_endpoint}

    def run(*args):
        result = subprocess.run([str(portal), *args], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    run("db", "upgrade")
    run("audit", "checkpoint")
    [locked] = aws("s3").list_objects_v2(Bucket=cloud_account["audit"])["Contents"]
    assert locked["Key"].startswith("checkpoints/audit/checkpoints/")
    assert aws("s3").head_object(Bucket=cloud_account["audit"], Key=locked["Key"])["ObjectLockMode"] == "COMPLIANCE"
    sealed = json.loads(aws("s3").get_object(Bucket=cloud_account["documents"],
                                             Key="documents/keys/keyring.kms.json")["Body"].read())
    assert locked["Key"].endswith(f"-{sealed['active']}.json")  # signed by the sealed ring's key
    # Another process opens the same sealed ring, so the signature verifies there.
    verified = run("audit", "verify")
    assert "Audit log intact" in verified and "held to the signed checkpoint" in verified
    assert not (tmp_path / "keys").exists() and not (tmp_path / "objects").exists()
