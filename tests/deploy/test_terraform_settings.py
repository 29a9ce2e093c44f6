"""What terraform/ tells the containers is what the portal reads: the task definitions'
environment, with terraform's expressions filled in as an apply would, chooses the AWS adapter
of every port, and every setting it passes is one the portal knows."""
from __future__ import annotations

import re

import pytest

from portal.cloud_config import SEVEN_YEARS_IN_DAYS, CloudSettings
from tests.deploy.test_terraform import config  # noqa: F401 - the parsed configuration (a fixture)

APPLIED = {  # what an apply gives each expression the environment uses
    "module.documents_bucket.s3_bucket_id": "pinghe-portal-documents-20261203",
    "module.audit_bucket.s3_bucket_id": "pinghe-portal-audit-20261203",
    "module.kms.key_arn": "arn:aws:kms:ap-southeast-1:111122223333:key/8f1e0c1a",
    "var.mail_from": "notices@pinghe-life.example",
    "aws_sesv2_configuration_set.portal.configuration_set_name": "pinghe-portal",
}


def _environment(config, sms_number: str) -> dict[str, str]:  # noqa: F811
    [environment] = [block["environment"] for block in config["locals"] if "environment" in block]
    values = {}
    for item in environment:
        value = item["value"]
        if item["name"] == "PORTAL_SMS":  # the one conditional: off without a number
            assert '? "off" : "end-user-messaging:${var.sms_origination_number}"' in value
            value = f"end-user-messaging:{sms_number}" if sms_number else "off"
        elif item["name"] == "PORTAL_SMS_CONFIGURATION_SET":
            value = "pinghe-portal" if sms_number else ""
        else:
            value = re.sub(r"\$\{([^}]+)\}", lambda match: APPLIED.get(match[1], "applied"), value)
        values[item["name"]] = value
    return values


@pytest.mark.parametrize("sms_number", ["+6580001234", ""])
def test_the_task_environment_puts_every_port_on_aws(config, sms_number):  # noqa: F811
    cloud = CloudSettings.from_env(_environment(config, sms_number))
    assert (cloud.objects.bucket, cloud.objects.prefix) == ("pinghe-portal-documents-20261203", "documents")
    assert cloud.objects_kms_key == cloud.keyring_kms_key == APPLIED["module.kms.key_arn"]
    assert cloud.audit_checkpoints.bucket == "pinghe-portal-audit-20261203"
    assert cloud.audit_retention_days == SEVEN_YEARS_IN_DAYS
    assert cloud.mail == ("ses", "notices@pinghe-life.example") and cloud.mail_configuration_set == "pinghe-portal"
    assert cloud.sms == (("end-user-messaging", sms_number) if sms_number else ("off", ""))


def test_the_audit_bucket_keeps_what_the_portal_locks(config):  # noqa: F811
    retention = config["module"]["audit_bucket"]["object_lock_configuration"]["rule"]["default_retention"]
    assert retention["mode"] == "COMPLIANCE" and retention["years"] * 365 <= SEVEN_YEARS_IN_DAYS


def test_the_tasks_may_do_what_the_adapters_do_and_no_more(config):  # noqa: F811
    [permissions] = [block["task_permissions"] for block in config["locals"] if "task_permissions" in block]
    assert set(permissions["keys"]["actions"]) >= {"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"}
    assert "s3:PutObjectRetention" in permissions["checkpoints"]["actions"]
    # Nothing the portal stores in S3 is ever deleted by it (SQS's DeleteMessage is another matter).
    assert not any(action.startswith("s3:Delete") for statement in permissions.values() for action in statement["actions"])
    assert permissions["mail"]["actions"] == ["ses:SendEmail", "ses:SendRawEmail"]
    assert permissions["sms"]["actions"] == ["sms-voice:SendTextMessage"]
