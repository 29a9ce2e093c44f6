"""Object store on S3: every object encrypted with KMS (SSE-KMS, the bucket key on), downloads
handed out as short-lived presigned links, and records that must never be replaced (the audit
checkpoints) written with a conditional put and kept under Object Lock.

``create`` relies on S3's conditional writes (``If-None-Match: *``): of two writers of one key
exactly one succeeds, which a check-then-put could not promise. With ``lock_days`` each created
object also carries its own retention, so a bucket without Object Lock refuses the write instead
of keeping a checkpoint anyone could overwrite."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from iaas.aws import error_code
from iaas.objects.keys import attachment_disposition, checked_key

_TAKEN = {"PreconditionFailed", "ConditionalRequestConflict", "412"}
_MISSING = {"NoSuchKey", "404", "NotFound"}


class S3ObjectStore:
    def __init__(self, client: Any, bucket: str, prefix: str = "", *, kms_key_id: str | None = None,
                 lock_days: int | None = None, lock_mode: str = "COMPLIANCE") -> None:
        if lock_mode not in ("COMPLIANCE", "GOVERNANCE"):
            raise ValueError(f"Object Lock mode is COMPLIANCE or GOVERNANCE, not {lock_mode!r}")
        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self._encryption = {"ServerSideEncryption": "aws:kms", "BucketKeyEnabled": True}
        if kms_key_id:
            self._encryption["SSEKMSKeyId"] = kms_key_id
        self._lock_days = lock_days
        self._lock_mode = lock_mode

    def _name(self, key: str) -> str:
        return self._prefix + checked_key(key)

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        self._client.put_object(Bucket=self._bucket, Key=self._name(key), Body=data, ContentType=content_type,
                                **self._encryption)

    def get(self, key: str) -> bytes:
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=self._name(key))
        except Exception as exc:
            if error_code(exc) in _MISSING:
                raise KeyError(key) from exc
            raise
        with response["Body"] as body:
            return body.read()

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=self._name(key))

    def create(self, key: str, data: bytes, *, content_type: str) -> None:
        lock = {}
        if self._lock_days:
            lock = {"ObjectLockMode": self._lock_mode,
                    "ObjectLockRetainUntilDate": datetime.now(timezone.utc) + timedelta(days=self._lock_days)}
        try:
            self._client.put_object(Bucket=self._bucket, Key=self._name(key), Body=data, ContentType=content_type,
                                    IfNoneMatch="*", **lock, **self._encryption)
        except Exception as exc:
            if error_code(exc) in _TAKEN:
                raise FileExistsError(key) from exc
            raise

    def list(self, prefix: str) -> list[str]:
        start = self._prefix + (checked_key(prefix.rstrip("/")) + "/" if prefix.strip("/") else "")
        keys = []
        for page in self._client.get_paginator("list_objects_v2").paginate(Bucket=self._bucket, Prefix=start):
            keys.extend(item["Key"][len(self._prefix):] for item in page.get("Contents", ()))
        return sorted(keys)

    def download_url(self, key: str, *, filename: str, content_type: str, expires_in: int = 300) -> str | None:
        """A presigned GET that saves the file as ``filename``, typed as stored, never cached."""
        return self._client.generate_presigned_url("get_object", ExpiresIn=expires_in, Params={
            "Bucket": self._bucket, "Key": self._name(key),
            "ResponseContentDisposition": attachment_disposition(filename),
            "ResponseContentType": content_type, "ResponseCacheControl": "no-store",
        })
