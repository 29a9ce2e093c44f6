"""A claim's documents kept in S3 (moto's server on loopback): the claimant's download is a
303 to a presigned link that saves the file under its own name, straight from the bucket; the
API says the same; another policyholder still gets 404 and no link. The neighbour test of the
embedded store runs again here unchanged."""
from __future__ import annotations

import re
import urllib.request
from dataclasses import replace

import pytest

from iaas.objects import RoutedStore
from tests.claims_support import PDF
from tests.contracts.conftest import REGION, unique
from tests.integration import test_claims_web as on_local
from tests.integration.test_claims_web import _reported, claimant, upload  # noqa: F401 - claimant is a fixture

test_another_policyholder_cannot_list_see_or_download = on_local.test_another_policyholder_cannot_list_see_or_download


@pytest.fixture
def documents_bucket(aws):
    bucket = unique("portal-documents")
    aws("s3").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return bucket


@pytest.fixture
def platform(platform, aws, kms_key, documents_bucket):
    from iaas.objects.s3 import S3ObjectStore

    return replace(platform, objects=RoutedStore(S3ObjectStore(aws("s3"), documents_bucket, "documents",
                                                               kms_key_id=kms_key), {}))


def _fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers


def test_the_claimant_downloads_straight_from_the_bucket(web, claimant, aws, documents_bucket):  # noqa: F811
    path = _reported(web, claimant.critical_illness)
    assert upload(web, path, "discharge_summary", PDF, "出院小结.pdf").status_code == 303
    link = re.search(r'href="(/claims/CL\w+/documents/DOC\w+)"[^>]*>出院小结.pdf', web.text(path)).group(1)
    [key] = [item["Key"] for item in aws("s3").list_objects_v2(Bucket=documents_bucket)["Contents"]]
    assert key.startswith("documents/documents/")  # stored in the bucket, not under the data folder

    answer = web.get(link)
    assert answer.status_code == 303 and answer.headers["Cache-Control"] == "no-store"
    presigned = answer.headers["Location"]
    assert presigned.startswith(aws("s3").meta.endpoint_url) and "X-Amz-Expires=300" in presigned
    data, headers = _fetch(presigned)
    assert data == PDF and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment;") and "%E5%87%BA%E9%99%A2" in headers["Content-Disposition"]

    api = web.client.get(f"/api/v1{link}")
    assert api.status_code == 303 and _fetch(api.headers["Location"])[0] == PDF
