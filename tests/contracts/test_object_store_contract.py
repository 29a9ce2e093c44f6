"""The object store's contract, passed alike by the embedded folder and by S3 (moto's server on
loopback): what the documents, the notices and the audit checkpoints rely on."""
from __future__ import annotations

import urllib.request

import pytest
from botocore.exceptions import ClientError

from iaas.objects import LocalFolderStore, RoutedStore
from tests.contracts.conftest import unique


def _s3_store(aws, kms_key, *, lock_days=1, object_lock=True, prefix="portal/docs"):
    from iaas.objects.s3 import S3ObjectStore

    bucket = unique("portal-objects")
    aws("s3").create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=object_lock,
                            CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    return S3ObjectStore(aws("s3"), bucket, prefix, kms_key_id=kms_key, lock_days=lock_days), bucket


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalFolderStore(tmp_path / "objects")
    aws, kms_key = request.getfixturevalue("aws"), request.getfixturevalue("kms_key")
    return _s3_store(aws, kms_key)[0]


def test_what_is_put_comes_back_and_may_be_replaced(store):
    store.put("documents/7/abc", b"%PDF-1.7 first", content_type="application/pdf")
    assert store.get("documents/7/abc") == b"%PDF-1.7 first"
    store.put("documents/7/abc", "第二版".encode(), content_type="application/pdf")
    assert store.get("documents/7/abc") == "第二版".encode()


def test_a_missing_key_is_a_key_error_and_deleting_it_is_harmless(store):
    with pytest.raises(KeyError):
        store.get("documents/7/none")
    store.delete("documents/7/none")
    store.put("documents/7/gone", b"x", content_type="application/octet-stream")
    store.delete("documents/7/gone")
    with pytest.raises(KeyError):
        store.get("documents/7/gone")


def test_create_never_replaces_what_is_there(store):
    store.create("audit/checkpoints/000000000001.json", b'{"seq": 1}', content_type="application/json")
    with pytest.raises(FileExistsError):
        store.create("audit/checkpoints/000000000001.json", b'{"seq": 666}', content_type="application/json")
    assert store.get("audit/checkpoints/000000000001.json") == b'{"seq": 1}'


def test_list_gives_the_keys_under_a_folder_sorted_and_nothing_else(store):
    for key in ("audit/checkpoints/2.json", "audit/checkpoints/1.json", "audit/other/1.json", "documents/1"):
        store.create(key, b"{}", content_type="application/json")
    assert store.list("audit/checkpoints/") == ["audit/checkpoints/1.json", "audit/checkpoints/2.json"]
    assert store.list("nothing/here/") == []


@pytest.mark.parametrize("key", ["../escape", "documents/../../x", "/absolute", "a" * 201, "spaced key"])
def test_an_unsafe_key_is_refused_before_anything_is_written(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x", content_type="text/plain")


def test_a_download_link_is_either_none_or_saves_the_file_under_its_name(store):
    store.put("documents/7/scan", b"\x89PNG\r\n\x1a\n image", content_type="image/png")
    link = store.download_url("documents/7/scan", filename="身份证 正面.png", content_type="image/png", expires_in=60)
    if isinstance(store, LocalFolderStore):
        assert link is None  # the portal serves the bytes itself
        return
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in link and "X-Amz-Expires=60" in link  # SigV4, as SSE-KMS needs
    with urllib.request.urlopen(link, timeout=10) as response:  # plain HTTP, no credentials: the link is the key
        assert response.read() == b"\x89PNG\r\n\x1a\n image"
        assert response.headers["Content-Type"] == "image/png"
        assert response.headers["Cache-Control"] == "no-store"
        disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81%20" in disposition


def test_s3_objects_are_encrypted_with_the_kms_key_and_kept_under_the_prefix(aws, kms_key):
    store, bucket = _s3_store(aws, kms_key)
    store.put("documents/7/abc", b"data", content_type="application/pdf")
    head = aws("s3").head_object(Bucket=bucket, Key="portal/docs/documents/7/abc")
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"].endswith(kms_key.rsplit("/", 1)[-1])
    assert head["ContentType"] == "application/pdf"
    assert store.list("documents/") == ["documents/7/abc"]


def test_s3_created_records_are_under_object_lock_retention(aws, kms_key):
    store, bucket = _s3_store(aws, kms_key, lock_days=30)
    store.create("audit/checkpoints/1.json", b"{}", content_type="application/json")
    head = aws("s3").head_object(Bucket=bucket, Key="portal/docs/audit/checkpoints/1.json")
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert 29 <= (head["ObjectLockRetainUntilDate"] - head["LastModified"]).days <= 30
    with pytest.raises(ClientError, match="AccessDenied"):  # locked: not even the version can be deleted
        aws("s3").delete_object(Bucket=bucket, Key="portal/docs/audit/checkpoints/1.json", VersionId=head["VersionId"])


def test_s3_refuses_a_locked_record_in_a_bucket_without_object_lock(aws, kms_key):
    store, _ = _s3_store(aws, kms_key, object_lock=False)
    with pytest.raises(ClientError, match="InvalidRequest|Object Lock"):
        store.create("audit/checkpoints/1.json", b"{}", content_type="application/json")


def test_a_routed_prefix_has_its_own_store(tmp_path):
    documents, checkpoints = LocalFolderStore(tmp_path / "documents"), LocalFolderStore(tmp_path / "audit")
    routed = RoutedStore(documents, {"audit/checkpoints/": checkpoints})
    routed.create("audit/checkpoints/1.json", b"{}", content_type="application/json")
    routed.put("documents/1", b"doc", content_type="application/pdf")
    assert checkpoints.list("audit/checkpoints/") == ["audit/checkpoints/1.json"]
    assert documents.list("audit/checkpoints/") == [] and documents.get("documents/1") == b"doc"
    assert routed.list("audit/checkpoints/") == ["audit/checkpoints/1.json"]
