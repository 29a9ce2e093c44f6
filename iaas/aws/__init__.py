"""AWS clients for the cloud adapters (boto3, the ``aws`` extra). boto3 is imported only when a
client is asked for, and a client connects only on its first call: nothing at import time, and
the embedded defaults never need boto3 installed."""
from __future__ import annotations

from typing import Any


def aws_client(service: str, *, region: str | None = None, endpoint_url: str | None = None) -> Any:
    """A client with bounded retries and timeouts: a slow AWS API holds a request thread for
    seconds, not minutes. ``endpoint_url`` points it elsewhere (moto on loopback in the tests)."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError as exc:  # a clear word instead of a traceback at start-up
        raise RuntimeError("the AWS adapters need boto3: pip install 'insurer-portal[aws]'") from exc
    config = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=5, read_timeout=20)
    if service == "s3":
        # Presigned links signed with SigV4: S3 refuses any other signature on SSE-KMS objects.
        config = config.merge(Config(signature_version="s3v4"))
    return boto3.session.Session().client(service, region_name=region or None, endpoint_url=endpoint_url or None,
                                          config=config)


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ``ClientError`` ("" for anything else)."""
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))
