"""Builds the object store, the key ring and the message gateways from ``CloudSettings``: the
embedded defaults unless the environment names a cloud service. boto3 is imported, and clients
made, only for a port that is on AWS; no client connects before its first call."""
from __future__ import annotations

from typing import TYPE_CHECKING

from iaas.keyring import LocalKeyRing
from iaas.keyring.storage import LocalKeyRingFile
from iaas.messaging import LocalFolderGateway, MessageGateway
from iaas.objects import LocalFolderStore, ObjectStore, RoutedStore
from portal.cloud_config import CloudSettings, S3Location
from portal.config import Settings

if TYPE_CHECKING:
    from iaas.keyring.kms import KmsKeyRingFile

CHECKPOINTS_PREFIX = "audit/checkpoints/"  # paas.audit.checkpoints.PREFIX: routed to its own bucket


def _client(cloud: CloudSettings, service: str):
    from iaas.aws import aws_client

    return aws_client(service, region=cloud.aws_region, endpoint_url=cloud.aws_endpoint_url)


def build_objects(settings: Settings, cloud: CloudSettings | None = None) -> ObjectStore:
    cloud = cloud or CloudSettings.from_settings(settings)
    documents: ObjectStore = (_s3_store(cloud, cloud.objects) if cloud.objects
                              else LocalFolderStore(settings.data_dir / "objects"))
    if cloud.audit_checkpoints is None:
        return documents
    checkpoints = _s3_store(cloud, cloud.audit_checkpoints, lock_days=cloud.audit_retention_days or None)
    return RoutedStore(documents, {CHECKPOINTS_PREFIX: checkpoints})


def _s3_store(cloud: CloudSettings, location: S3Location, *, lock_days: int | None = None) -> ObjectStore:
    from iaas.objects.s3 import S3ObjectStore

    return S3ObjectStore(_client(cloud, "s3"), location.bucket, location.prefix,
                         kms_key_id=cloud.objects_kms_key, lock_days=lock_days)


def keyring_file(settings: Settings, objects: ObjectStore,
                 cloud: CloudSettings | None = None) -> "LocalKeyRingFile | KmsKeyRingFile":
    """Where the ring is kept: the local key file, or sealed by KMS in the object store."""
    cloud = cloud or CloudSettings.from_settings(settings)
    if cloud.keyring_kms_key is None:
        return LocalKeyRingFile(settings.keyring_path)
    from iaas.keyring.kms import KmsKeyRingFile

    return KmsKeyRingFile(_client(cloud, "kms"), cloud.keyring_kms_key, objects)


def build_gateways(settings: Settings, keyring: LocalKeyRing,
                   cloud: CloudSettings | None = None) -> dict[str, MessageGateway]:
    """``email`` and ``sms``; SMS switched ``off`` has none, so its messages fail visibly in the outbox."""
    cloud = cloud or CloudSettings.from_settings(settings)
    local = LocalFolderGateway(settings.outbox_dir, keyring)
    gateways: dict[str, MessageGateway] = {"email": local, "sms": local}
    if cloud.mail[0] == "ses":
        from iaas.messaging.ses import SesMailGateway

        gateways["email"] = SesMailGateway(_client(cloud, "sesv2"), cloud.mail[1],
                                           configuration_set=cloud.mail_configuration_set)
    kind, origin = cloud.sms
    if kind == "off":
        del gateways["sms"]
    elif kind == "end-user-messaging":
        from iaas.messaging.sms import EndUserMessagingSmsGateway

        gateways["sms"] = EndUserMessagingSmsGateway(_client(cloud, "pinpoint-sms-voice-v2"), origin,
                                                     configuration_set=cloud.sms_configuration_set)
    elif kind == "sns":
        from iaas.messaging.sms import SnsSmsGateway

        gateways["sms"] = SnsSmsGateway(_client(cloud, "sns"), sender_id=origin or None)
    return gateways
