"""Policy servicing in the console: the review queues by role, deciding with the customer's
document at hand (and four eyes), request search, acting for a customer with the clerk's own
authenticator, the statistics; none of it for policyholders."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from paas.audit.models import AuditEntry
from paas.documents import uploads
from paas.messaging.models import OutboxMessage
from paas.policies.ledger import balance
from paas.security.sessions import principal_of
from paas.servicing import engine
from paas.servicing.models import ServiceRequest
from tests.factories import PASSWORD, make_staff
from tests.servicing_support import PDF, address, make_holder, multipart, next_totp, staff_signed_in

_keys = iter(range(100_000))


@pytest.fixture
def holder(uow):
    return make_holder(uow, "console-servicing@example.com", "+8613822223333")


def _correction(uow, holder, *, who=None):
    """A name correction with its PDF, waiting in the clerk queue."""
    who = who or principal_of(holder.account)
    document = uploads.upload(uow, who, holder.customer.id, purpose="name_id_correction", subject="test",
                              filename="id card.pdf", data=PDF)
    request = engine.start(uow, who, holder.whole_life.policy_number, "name_id_correction",
                           {"name": "张伟伟", "document": document.reference}, channel="web",
                           idempotency_key=f"c{next(_keys)}")
    uow.commit()
    return request, document


def _audit(uow, action):
    return uow.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_a_clerk_decides_a_name_correction_with_the_id_document_at_hand(uow, web, clock, holder):
    web.client.set_cookie("lang", "en")  # the assertions below read the English wording
    request, document = _correction(uow, holder)
    clock.advance(timedelta(hours=3))
    staff_signed_in(uow, web, clock, role="clerk")
    queue = web.text("/console/queues")
    assert f'data-test="queued-{request.reference}"' in queue and "3 h 0 min" in queue
    assert 'data-test="tab-underwriter"' not in queue
    page = web.text(f"/console/requests/{request.reference}")
    link = f"/console/requests/{request.reference}/documents/{document.reference}"
    assert link in page and 'data-test="approve"' in page and "张伟伟" in page
    shown = web.get(link)
    assert shown.status_code == 200 and shown.data == PDF and shown.mimetype == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith("inline") and shown.headers["Cache-Control"] == "no-store"
    policy = shown.headers["Content-Security-Policy"]  # the customer's file is sandboxed, as a claim's is
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    decided = web.post_form(f"/console/requests/{request.reference}/decide", {"decision": "approve", "note": "ID card matches"},
                            token_from=f"/console/requests/{request.reference}")
    assert decided.status_code == 303
    uow.session.expire_all()
    assert request.status == "applied" and holder.customer.name == "张伟伟"
    assert [e.subject for e in _audit(uow, "document.viewed")] == [f"request:{request.reference}"]
    assert len(_audit(uow, "servicing.decided")) == 1
    assert f'data-test="queued-{request.reference}"' not in web.text("/console/queues")


def test_declining_needs_a_reason_the_customer_then_sees(uow, web, other_web, clock, holder):
    web.client.set_cookie("lang", "en")  # the assertions below read the English wording
    request, _ = _correction(uow, holder)
    staff_signed_in(uow, web, clock)
    page = f"/console/requests/{request.reference}"
    short = web.post_form(f"{page}/decide", {"decision": "reject", "note": "no"}, token_from=page)
    assert short.status_code == 422 and "Give the customer a reason" in short.get_data(as_text=True)
    web.post_form(f"{page}/decide", {"decision": "reject", "note": "The ID copy is unreadable."}, token_from=page)
    other_web.login(holder.email, PASSWORD)
    seen = other_web.text(f"/requests/{request.reference}")
    assert 'data-test="declined"' in seen and "The ID copy is unreadable." in seen


def test_only_the_deciding_team_sees_the_document_and_policyholders_see_no_console(uow, web, other_web, clock, holder):
    request, document = _correction(uow, holder)
    link = f"/console/requests/{request.reference}/documents/{document.reference}"
    staff_signed_in(uow, web, clock, role="underwriter")
    assert web.get(link).status_code == 403
    page = web.text(f"/console/requests/{request.reference}")
    assert link not in page and 'data-test="approve"' not in page
    assert 'data-test="tab-clerk"' not in web.text("/console/queues")
    other_web.login(holder.email, PASSWORD)
    for path in (link, f"/console/requests/{request.reference}", "/console/queues", "/console/requests?q=x",
                 "/console/statistics", f"/console/policies/{holder.whole_life.policy_number}/services"):
        assert other_web.get(path).status_code == 404
    assert _audit(uow, "document.viewed") == []


def test_a_document_not_named_by_the_request_is_not_served(uow, web, clock, holder):
    request, _ = _correction(uow, holder)
    other = uploads.upload(uow, principal_of(holder.account), holder.customer.id, purpose="claim", subject="x",
                           filename="other.png", data=b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    uow.commit()
    staff_signed_in(uow, web, clock)
    assert web.get(f"/console/requests/{request.reference}/documents/{other.reference}").status_code == 404


def test_searching_requests_by_policy_customer_or_reference(uow, web, clock, holder):
    request, _ = _correction(uow, holder)
    staff_signed_in(uow, web, clock, role="adjuster")
    for query in (holder.whole_life.policy_number, holder.customer.customer_number, request.reference.lower()):
        assert f'data-test="found-{request.reference}"' in web.text(f"/console/requests?q={query}")
    assert 'data-test="no-requests"' in web.text(f"/console/requests?q={holder.term.policy_number}")
    assert web.get("/console/requests?q=hello").status_code == 422
    assert len(_audit(uow, "servicing.searched")) == 4


def _act(web, path, data):
    page = web.text(path)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    return web.post_form(path, {"idempotency_key": key, **data}, token_from=path)


def test_a_clerk_acts_for_a_customer_confirming_with_their_own_authenticator(uow, web, other_web, clock, holder):
    clerk = staff_signed_in(uow, web, clock)
    customer_page = web.text(f"/console/customers/{holder.customer.customer_number}")
    services = f"/console/policies/{holder.whole_life.policy_number}/services"
    assert services in customer_page
    assert 'data-test="open-dividend_withdrawal"' in web.text(services)
    answer = _act(web, f"{services}/dividend_withdrawal", {"amount": "250", "bank_account": "1"})
    assert answer.status_code == 303
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    page = f"/console/requests/{reference}"
    assert 'data-test="step-up"' in web.text(page)
    assert uow.session.scalar(select(OutboxMessage.id).where(OutboxMessage.body.contains(reference))) is None
    wrong = web.post_form(f"{page}/confirm", {"code": "000000"}, token_from=page)
    assert wrong.status_code == 422
    uow.session.expire_all()
    request = uow.session.scalars(select(ServiceRequest).where(ServiceRequest.reference == reference)).one()
    assert request.code_attempts == 1  # counted despite the error answer
    assert web.post_form(f"{page}/confirm", {"code": next_totp(clerk, clock)}, token_from=page).status_code == 303
    uow.session.expire_all()
    assert (request.status, request.channel, request.on_behalf, request.submitted_by, request.step_up) == (
        "applied", "console", True, clerk.account.id, "totp")
    assert balance(uow, holder.whole_life.id, "dividends") == Decimal("750.00")
    submitted = _audit(uow, "servicing.submitted")[-1]
    assert (submitted.actor_type, submitted.actor_id) == ("staff", clerk.account.id) and '"on_behalf":true' in submitted.detail
    assert 'data-test="on-behalf"' in web.text(page)
    other_web.login(holder.email, PASSWORD)
    other_web.client.set_cookie("lang", "en")
    assert "Entered for you by our staff." in other_web.text(f"/requests/{reference}")


def test_the_customer_cannot_confirm_what_a_clerk_entered(uow, clock, holder):
    clerk = principal_of(make_staff(uow, role="clerk").account)
    request = engine.start(uow, clerk, holder.whole_life.policy_number, "dividend_withdrawal",
                           {"amount": "5", "bank_account": "1"}, channel="console", idempotency_key="act-1")
    from paas.errors import NotPermitted

    with pytest.raises(NotPermitted):
        engine.confirm(uow, principal_of(holder.account), request.reference, "123456")


def test_four_eyes_whoever_entered_a_correction_does_not_decide_it(uow, web, other_web, clock, holder):
    web.client.set_cookie("lang", "en")  # the assertions below read the English wording
    clerk = staff_signed_in(uow, web, clock)
    form = f"/console/policies/{holder.whole_life.policy_number}/services/name_id_correction"
    page = web.text(form)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    body, content_type = multipart({"csrf_token": web.csrf_token(form), "idempotency_key": key, "name": "张伟伟"},
                                   {"document": (PDF, "id.pdf")})
    answer = web.client.post(form, data=body, content_type=content_type)
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    page = f"/console/requests/{reference}"
    assert 'data-test="four-eyes"' in web.text(page)
    refused = web.post_form(f"{page}/decide", {"decision": "approve", "note": "looks right"}, token_from=page)
    assert refused.status_code == 403 and "another colleague must decide it" in refused.get_data(as_text=True)
    staff_signed_in(uow, other_web, clock)
    assert other_web.post_form(f"{page}/decide", {"decision": "approve", "note": "looks right"},
                               token_from=page).status_code == 303
    uow.session.expire_all()
    assert holder.customer.name == "张伟伟"
    assert clerk.account.id != uow.session.scalars(select(ServiceRequest.decided_by)).one()


def test_statistics_by_type_channel_share_online_and_turnaround(uow, web, clock, holder):
    web.client.set_cookie("lang", "en")  # the assertions below read the English wording
    who = principal_of(holder.account)
    for n, channel in enumerate(("web", "web", "api")):
        engine.start(uow, who, holder.term.policy_number, "document_reissue", {}, channel=channel, idempotency_key=f"s{n}")
    clerk = principal_of(make_staff(uow, role="clerk").account)
    engine.start(uow, clerk, holder.term.policy_number, "contact_address", address("文三路1号", province="浙江省", city="杭州市", district="西湖区"),
                 channel="console", idempotency_key="s9")
    request, _ = _correction(uow, holder)
    clock.advance(timedelta(hours=5))
    engine.decide(uow, clerk, request.reference, approve=True, note="ID card matches")
    uow.commit()
    staff_signed_in(uow, web, clock, role="supervisor")
    page = web.text("/console/statistics")
    assert re.search(r'data-test="total">5<', page) and re.search(r'data-test="applied">5<', page)
    assert re.search(r'data-test="self-service">80.0%<', page)  # 4 of 5 applied without staff
    reissue = re.search(r'data-test="kind-document_reissue">(.*?)</tr>', page, re.S).group(1)
    assert re.search(r'data-test="web">2<', reissue) and re.search(r'data-test="api">1<', reissue)
    reviewed = re.search(r'data-test="turnaround-reviewed">(.*?)</tr>', page, re.S).group(1)
    assert "5 h 0 min" in reviewed and re.search(r'data-test="count">1<', reviewed)
    assert page.count('data-test="bar"') == 4  # one per kind and channel: reissue web and api, address, correction
    assert web.get("/console/statistics?from=2026-11-28&to=2026-11-01").status_code == 422


def test_statistics_are_for_clerks_and_supervisors(uow, web, clock):
    staff_signed_in(uow, web, clock, role="underwriter")
    assert web.get("/console/statistics").status_code == 403


def _id_correction(uow, holder, new_id):
    who = principal_of(holder.account)
    document = uploads.upload(uow, who, holder.customer.id, purpose="name_id_correction", subject="test",
                              filename="id card.png", data=PDF)
    request = engine.start(uow, who, holder.whole_life.policy_number, "name_id_correction",
                           {"name": "张伟伟", "id_number": new_id, "document": document.reference}, channel="web",
                           idempotency_key=f"c{next(_keys)}")
    uow.commit()
    return request


def test_a_clerk_reveals_both_id_numbers_with_a_reason_and_reads_the_outcome_in_words(uow, web, clock, holder, keyring):
    from paas.customers.masking import mask_id_number
    from tests.factories import make_customer

    web.client.set_cookie("lang", "en")
    on_file = keyring.decrypt(holder.customer.id_number_cipher, context="customer.id_number")
    new_id = keyring.decrypt(make_customer(uow, name="号码来源").id_number_cipher, context="customer.id_number")
    request = _id_correction(uow, holder, new_id)
    staff = staff_signed_in(uow, web, clock, role="clerk")
    path = f"/console/requests/{request.reference}"
    page = web.text(path)
    # "Before" is the number on file, masked (it showed "—"); neither number is in the clear.
    preview = page.split('data-test="preview"')[1].split("</table>")[0]
    assert mask_id_number(on_file) in preview and mask_id_number(new_id) in preview
    assert on_file not in page and new_id not in page
    refused = web.post_form(f"{path}/reveal", {"which": "corrected", "reason": "x"}, token_from=path)
    assert refused.status_code == 422 and new_id not in refused.get_data(as_text=True)
    assert not _audit(uow, "pii.revealed")
    shown = web.post_form(f"{path}/reveal", {"which": "corrected", "reason": "Compare with the uploaded ID card"},
                          token_from=path).get_data(as_text=True)
    assert re.search(r'data-test="revealed-corrected">([^<]+)<', shown).group(1) == new_id and on_file not in shown
    shown = web.post_form(f"{path}/reveal", {"which": "on_file", "reason": "Compare with the uploaded ID card"},
                          token_from=path).get_data(as_text=True)
    assert re.search(r'data-test="revealed-on_file">([^<]+)<', shown).group(1) == on_file
    entries = _audit(uow, "pii.revealed")
    assert [e.subject for e in entries] == [f"request:{request.reference}"] * 2
    assert all(e.actor_id == staff.account.id and "Compare with the uploaded ID card" in e.detail for e in entries)
    web.post_form(f"{path}/decide", {"decision": "approve", "note": ""}, token_from=path)
    page = web.text(path)
    outcome = page.split('data-test="outcome"')[1].split("</ul>")[0]
    assert "Name corrected" in outcome and "ID number corrected" in outcome and "True" not in outcome
    decided = re.search(r'data-test="decided-by">([^<]*)<', page).group(1)
    assert decided.strip() == staff.account.display_name  # no stray colon without a note
    # Applied: the old number is gone from the file, so only the corrected one is offered.
    assert 'data-test="reveal-on_file"' not in page and 'data-test="reveal-corrected"' in page


def test_other_teams_cannot_reveal_a_corrections_id_numbers(uow, web, clock, holder, keyring):
    from tests.factories import make_customer

    new_id = keyring.decrypt(make_customer(uow, name="号码来源").id_number_cipher, context="customer.id_number")
    request = _id_correction(uow, holder, new_id)
    staff_signed_in(uow, web, clock, role="adjuster")
    path = f"/console/requests/{request.reference}"
    page = web.text(path)
    assert 'data-test="id-numbers"' not in page
    # No way "back" to a queue the adjuster has not got.
    assert re.search(r'href="([^"]+)" data-test="back"', page).group(1) == "/console/requests"
    response = web.post_form(f"{path}/reveal", {"which": "corrected", "reason": "Compare with the uploaded ID card"},
                             token_from=path)
    assert response.status_code == 403 and new_id not in response.get_data(as_text=True)
    assert not _audit(uow, "pii.revealed")


def test_every_kinds_outcome_reads_in_words():
    """Each key an applied request records is known to the display (no raw "key value" pairs)."""
    import ast
    import pathlib

    from paas.servicing.registry import all_transactions
    from saas.servicing.outcomes import DONE, FIELDS, _choice_labels

    known = set(DONE) | set(FIELDS) | {name for t in all_transactions() for name in _choice_labels(t.kind)}
    recorded = set()
    for source in (pathlib.Path(engine.__file__).parent / "kinds").glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name == "apply":
                recorded |= {key.value for returned in ast.walk(node)
                             if isinstance(returned, ast.Return) and isinstance(returned.value, ast.Dict)
                             for key in returned.value.keys if isinstance(key, ast.Constant)}
    assert recorded and recorded - known == set()
