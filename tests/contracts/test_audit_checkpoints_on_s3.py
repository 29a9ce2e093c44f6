"""The audit checkpoint tests (tests/integration/test_audit_checkpoints.py) run again with the
checkpoints where production keeps them: their own S3 bucket under Object Lock, behind the
routed store the wiring builds (moto's server on loopback). Only the ``platform`` fixture
differs; every test body is the embedded default's."""
from __future__ import annotations

from dataclasses import replace

import pytest

from iaas.objects import LocalFolderStore, RoutedStore
from tests.contracts.conftest import REGION, unique
from tests.integration import test_audit_checkpoints as on_local

for _name in ("test_a_rewrite_with_the_key_behind_a_checkpoint_is_reported",
              "test_a_tail_cut_off_with_its_head_moved_back_is_reported_by_the_checkpoint",
              "test_a_forged_checkpoint_is_reported", "test_a_broken_chain_is_not_signed",
              "test_checkpoints_are_new_objects_signed_for_anyone_to_check",
              "test_rotation_keeps_older_entries_and_checkpoints_verifying",
              "test_the_nightly_cycle_ends_with_a_checkpoint"):
    globals()[_name] = getattr(on_local, _name)


@pytest.fixture
def audit_bucket(aws):
    bucket = unique("portal-audit")
    aws("s3").create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True,
                            CreateBucketConfiguration={"LocationConstraint": REGION})
    return bucket


@pytest.fixture
def platform(platform, aws, kms_key, audit_bucket, tmp_path):
    from iaas.objects.s3 import S3ObjectStore

    locked = S3ObjectStore(aws("s3"), audit_bucket, "checkpoints", kms_key_id=kms_key, lock_days=1)
    return replace(platform, objects=RoutedStore(LocalFolderStore(tmp_path / "documents"),
                                                 {"audit/checkpoints/": locked}))


def test_checkpoints_land_in_the_locked_bucket_and_nowhere_else(platform, uow, aws, audit_bucket, tmp_path):
    on_local._write(platform, 2)
    taken = on_local._checkpoint(platform)
    head = aws("s3").head_object(Bucket=audit_bucket, Key=f"checkpoints/{taken.object_key}")
    assert head["ObjectLockMode"] == "COMPLIANCE" and head["ServerSideEncryption"] == "aws:kms"
    assert not (tmp_path / "documents").exists()
