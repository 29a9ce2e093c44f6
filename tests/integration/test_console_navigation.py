"""Each staff role's nav offers exactly the console pages that role can use: a link never
leads to a page saying the role has nothing there (the adjuster was offered the review queues)."""
from __future__ import annotations

import re

import pytest

from tests.servicing_support import staff_signed_in

# The outbox is the supervisors' alone (codes are sealed, but messages are personal data).
EXPECTED = {
    "clerk": {"nav-customers", "nav-queues", "nav-requests", "nav-payments", "nav-held", "nav-statistics", "nav-sms",
              "nav-notices"},
    "underwriter": {"nav-customers", "nav-queues", "nav-requests", "nav-underwriting"},
    "adjuster": {"nav-customers", "nav-requests", "nav-claims", "nav-claim-statistics"},
    "supervisor": {"nav-customers", "nav-queues", "nav-requests", "nav-underwriting", "nav-claims", "nav-payments",
                   "nav-held", "nav-statistics", "nav-claim-statistics", "nav-notices", "nav-outbox", "nav-sms"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_only_the_pages_it_can_use(uow, web, clock, role):
    staff_signed_in(uow, web, clock, role=role)
    home = web.text("/console/")
    links = dict(re.findall(r'<a href="([^"]+)" data-test="(nav-[a-z-]+)"', home))
    assert set(links.values()) == EXPECTED[role]
    for path, test_id in links.items():
        response = web.get(path)
        assert response.status_code == 200, (role, test_id, response.status_code)
        # The page offered has something for this role (not the "no queue for your role" text).
        assert 'data-test="no-queue"' not in response.get_data(as_text=True)
