"""The AWS side of the contract tests: one moto server (server mode, real HTTP on loopback, a
free port) for the whole session, and clients that can only ever reach it."""
from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import pytest

REGION = "ap-southeast-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer  # moto[server] is in the test extra: never skipped

    with pytest.MonkeyPatch.context() as env:
        # Fake credentials, and no profile or role of this machine's that boto3 could find instead.
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL"):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", REGION)
        env.setenv("AWS_CONFIG_FILE", "/dev/null")
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        port = _free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.stop()


@pytest.fixture
def aws(moto_endpoint):
    """``aws("s3")``: a client of the project's own factory, pointed at the moto server."""
    from iaas.aws import aws_client

    return lambda service: aws_client(service, region=REGION, endpoint_url=moto_endpoint)


@pytest.fixture
def kms_key(aws) -> str:
    return aws("kms").create_key(Description="portal contract tests")["KeyMetadata"]["Arn"]


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:12]}"
