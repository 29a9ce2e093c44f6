"""Applying on the web and following the application, over the real app: the form keeps a
draft, a fault is shown beside its field, the outcome page says why, and another person's
application is 404 on every page and in the API."""
from __future__ import annotations

import re

from sqlalchemy import select

from paas.underwriting.models import Application
from tests.factories import PASSWORD, make_policyholder
from tests.underwriting_support import form


def _signed_in(uow, web, **fields):
    customer, account = make_policyholder(uow, **fields)
    uow.commit()
    assert web.login(account.email, PASSWORD).status_code in (302, 303)
    return customer, account


def _start(web) -> str:
    answer = web.post_form("/apply", {"product": "TERM"}, token_from="/apply")
    assert answer.status_code == 303
    return answer.headers["Location"].rsplit("/", 1)[-1]


def test_apply_save_a_draft_resume_it_and_submit_straight_through(uow, web):
    _signed_in(uow, web)
    assert "TERM" in web.text("/apply")
    reference = _start(web)
    page = web.post_form(f"/applications/{reference}", {"action": "save", "sum_assured": "500000", "term": "20",
                                                        "premium_term": "term", "mode": "annual"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-test="saved"' in text and 'data-test="quote-premium"' in text
    assert 'value="500000"' in web.text(f"/applications/{reference}")  # resumed as saved
    answer = web.post_form(f"/applications/{reference}", {**form(), "action": "submit"})
    assert answer.status_code == 303
    text = web.text(f"/applications/{reference}")
    assert 'data-test="pay-first-premium"' in text
    assert reference in web.text("/applications")


def test_a_fault_is_shown_beside_its_field_and_the_draft_is_kept(uow, web):
    _signed_in(uow, web)
    reference = _start(web)
    answer = web.post_form(f"/applications/{reference}", {**form(height_cm="9", q_heart=""), "action": "submit"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'data-test="error-height_cm"' in text and 'data-test="error-q_heart"' in text
    application = uow.session.scalar(select(Application).where(Application.reference == reference))
    assert application.status == "draft" and '"height_cm": "9"' in application.details


def test_a_referred_application_says_why_in_plain_words(uow, web):
    _signed_in(uow, web)
    reference = _start(web)
    web.post_form(f"/applications/{reference}", {**form(q_heart="yes"), "action": "submit"})
    text = web.text(f"/applications/{reference}")
    assert "核保" in text and 'data-test="reasons"' in text


def test_another_persons_application_is_404_on_the_web_and_in_the_api(uow, web, other_web):
    _signed_in(uow, web)
    reference = _start(web)
    web.post_form(f"/applications/{reference}", {**form(q_heart="yes"), "action": "submit"})
    assert web.get(f"/api/v1/applications/{reference}").status_code == 200
    _signed_in(uow, other_web)
    assert other_web.get(f"/applications/{reference}").status_code == 404
    assert other_web.get(f"/api/v1/applications/{reference}").status_code == 404
    token_page = "/applications"
    for path in (f"/applications/{reference}", f"/applications/{reference}/offer", f"/applications/{reference}/withdraw",
                 f"/applications/{reference}/pay"):
        assert other_web.post_form(path, {"action": "save"}, token_from=token_page).status_code == 404, path
    assert reference not in other_web.text("/applications")
    assert reference not in other_web.get("/api/v1/applications").get_data(as_text=True)
    assert re.search(r"NB[0-9A-F]{10}", web.get("/api/v1/applications").get_data(as_text=True))
