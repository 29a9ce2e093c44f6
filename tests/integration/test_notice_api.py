"""Notices through the JSON API: the inbox with filters and the unread count, one notice with
its signed data (verifiable with the published keys), its PDF, another customer's notice a
404, and the choices of channel per type."""
from __future__ import annotations

import pytest

from paas.notices import document
from tests.factories import PASSWORD, make_policy, make_policyholder
from tests.integration.test_external_accounts_api import Api
from tests.notice_events_support import lapse_data, raise_notice


@pytest.fixture
def alice(uow, web):
    customer, _ = make_policyholder(uow, email="api-notices-alice@example.com")
    policy = make_policy(uow, customer)
    notices = {"due": raise_notice(uow, policy), "lapse": raise_notice(uow, policy, "lapsed", lapse_data())}
    uow.commit()
    web.login("api-notices-alice@example.com", PASSWORD)
    return notices


def test_inbox_notice_and_pdf(alice, web, keyring):
    api = Api(web)
    box = api.get("/notices").json
    assert box["unread"] == 2 and {n["type"] for n in box["notices"]} == {"premium_due", "lapse"}
    assert [n["type"] for n in api.get("/notices?type=lapse").json["notices"]] == ["lapse"]
    detail = api.get(f"/notices/{alice['due'].id}", headers={"Accept-Language": "en"}).json
    assert detail["genuine"] and detail["verification_code"] == alice["due"].code and "1,200.00" in detail["summary"]
    assert document.verify(detail["data"], detail["signature"], detail["key_id"], keys=keyring.public_keys())
    assert api.get("/notices").json["unread"] == 1
    pdf = api.get(detail["pdf_url"].removeprefix("/api/v1"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_another_customers_notice_is_a_404(alice, uow, other_web):
    customer, _ = make_policyholder(uow, email="api-notices-bob@example.com")
    uow.commit()
    other_web.login("api-notices-bob@example.com", PASSWORD)
    bob = Api(other_web)
    assert bob.get("/notices").json == {"unread": 0, "notices": []}
    assert bob.get(f"/notices/{alice['due'].id}").status_code == 404
    assert bob.get(f"/notices/{alice['due'].id}/pdf").status_code == 404


def test_choices_of_channel(alice, web):
    api = Api(web)
    choices = {(c["type"], c["channel"]): c for c in api.get("/notice-preferences").json["choices"]}
    assert choices[("lapse", "email")]["locked"] and choices[("premium_due", "sms")]["wanted"]
    saved = api.send("PUT", "/notice-preferences", {"wanted": ["premium_due.email"]})
    after = {(c["type"], c["channel"]): c["wanted"] for c in saved.json["choices"]}
    assert saved.status_code == 200 and after[("premium_due", "email")] and not after[("premium_due", "sms")]
    assert after[("lapse", "sms")]  # the law decides
    assert api.send("PUT", "/notice-preferences", {"wanted": "all"}).status_code == 422
    assert api.send("PUT", "/notice-preferences", {"wanted": ["x.y"]}).status_code == 422
