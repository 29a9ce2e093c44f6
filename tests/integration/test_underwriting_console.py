"""The underwriters' console over the real app: the queue, the case with the rules that fired,
each decision through the form, the four-eyes page, evidence shown inline, statistics; and that
other staff cannot reach it."""
from __future__ import annotations

from sqlalchemy import select

from paas.underwriting.models import Application
from tests.claims_support import staff_browser
from tests.factories import make_policyholder, principal_of
from tests.underwriting_support import apply


def _referred(uow, **changes):
    _, account = make_policyholder(uow)
    uow.commit()
    return apply(uow, principal_of(account), q_heart="yes", **changes)


def _decide(browser, reference, **fields):
    path = f"/console/underwriting/{reference}"
    return browser.post_form(f"{path}/decide", fields, token_from=path)


def test_queue_case_and_a_rated_decision(app, uow, clock):
    application = _referred(uow)
    browser, _ = staff_browser(app, uow, clock, role="underwriter", level=1)
    queue = browser.text("/console/underwriting")
    assert f'data-test="queued-{application.reference}"' in queue and "HEALTH_HEART" in queue and "500,000" in queue
    page = browser.text(f"/console/underwriting/{application.reference}")
    assert 'data-test="rule-HEALTH_HEART"' in page and 'data-test="existing-cover"' in page
    refused = _decide(browser, application.reference, decision="rated", extra_pct="33")
    assert refused.status_code == 422 and 'data-test="decision-error"' in refused.get_data(as_text=True)
    assert _decide(browser, application.reference, decision="rated", extra_pct="50").status_code == 303
    uow.session.expire_all()
    application = uow.session.get(Application, application.id)
    assert application.status == "offered" and application.offered_premium > application.modal_premium


def test_above_the_limit_the_page_waits_for_a_higher_underwriter(app, uow, clock):
    application = _referred(uow, sum_assured="2000000", income="1000000")
    junior, _ = staff_browser(app, uow, clock, role="underwriter", level=1)
    assert _decide(junior, application.reference, decision="standard").status_code == 303
    page = junior.text(f"/console/underwriting/{application.reference}")
    assert 'data-test="cannot-agree"' in page and 'data-test="second-level"' in page
    assert _decide(junior, application.reference, decision="agree").status_code == 403
    senior, _ = staff_browser(app, uow, clock, role="underwriter", level=2)
    assert 'data-test="agree"' in senior.text(f"/console/underwriting/{application.reference}")
    assert _decide(senior, application.reference, decision="agree").status_code == 303
    uow.session.expire_all()
    assert uow.session.scalar(select(Application.status).where(Application.id == application.id)) == "accepted"


def test_statistics_and_other_teams(app, uow, clock):
    _referred(uow)
    browser, _ = staff_browser(app, uow, clock, role="underwriter", level=1)
    stats = browser.text("/console/underwriting/statistics")
    assert 'data-test="straight-through"' in stats and "HEALTH_HEART" in stats
    adjuster, _ = staff_browser(app, uow, clock, role="adjuster", level=3)
    assert adjuster.get("/console/underwriting").status_code == 403
