"""Claims in the policyholder web: reporting with only the kinds the policy covers (the others
say why), a new payee account kept encrypted, the documents the claim needs with their
uploads and downloads, bad uploads refused leaving nothing stored, the claim blocking
servicing, and nothing of the claim within another policyholder's reach."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from paas.claims.models import Claim
from paas.customers.models import BankAccount
from paas.documents.uploads import MAX_BYTES
from tests.claims_support import PDF, PNG, claim_form, documents, make_claimant, stored_objects
from tests.factories import PASSWORD
from tests.servicing_support import multipart


@pytest.fixture
def claimant(uow, web):
    claimant = make_claimant(uow)
    web.login(claimant.email, PASSWORD)
    web.client.set_cookie("lang", "en")
    return claimant


def _report(web, policy, **fields):
    return web.post_form("/claims/new", claim_form(policy, **fields), token_from=f"/claims/new?policy={policy.policy_number}")


def _reported(web, policy, **fields) -> str:
    answer = _report(web, policy, **fields)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.headers["Location"]


def upload(web, claim_path: str, code: str, data: bytes, filename: str = "scan.pdf"):
    body, content_type = multipart({"csrf_token": web.csrf_token(claim_path), "document_type": code, "slot": code},
                                   {"document": (data, filename)})
    return web.client.post(f"{claim_path}/documents", data=body, content_type=content_type)


def test_the_form_offers_what_the_policy_covers_and_says_why_not_the_rest(web, claimant):
    page = web.text(f"/claims/new?policy={claimant.critical_illness.policy_number}")
    offered = set(re.findall(r'name="kind" value="(\w+)"', page))
    assert offered == {"death", "critical_illness", "hospitalisation"}
    assert "Only endowment policies pay a maturity benefit." in page and 'data-test="not-offered-disability"' in page
    assert "Discharge summary" in page and "**** 2333" in page and "6217000011112222333" not in page
    whole_life = web.text(f"/claims/new?policy={claimant.whole_life.policy_number}")
    assert set(re.findall(r'name="kind" value="(\w+)"', whole_life)) == {"death"}
    assert 'href="/claims/new?policy=' in web.text("/claims/new")  # choosing the policy first
    assert f'/claims/new?policy={claimant.critical_illness.policy_number}' in web.text(
        f"/policies/{claimant.critical_illness.policy_number}")


def test_reporting_then_the_timeline_and_the_documents_still_needed(uow, web, claimant):
    path = _reported(web, claimant.critical_illness)
    page = web.text(path)
    assert 'data-test="timeline-reported"' in page and "We still need 3 documents" in page
    for code in ("discharge_summary", "invoices", "id_card"):
        assert f'data-test="missing-{code}"' in page and f'data-test="upload-{code}"' in page
    assert path.rsplit("/", 1)[1] in web.text("/claims")
    refused = _report(web, claimant.critical_illness)  # the same kind again while it is open
    assert refused.status_code == 422 and "already being handled" in refused.get_data(as_text=True)


def test_mistakes_are_shown_next_to_the_field(uow, web, claimant):
    answer = _report(web, claimant.critical_illness, incident_date="2026-02-30", facts="ill")
    assert answer.status_code == 422
    assert 'data-test="error-incident_date"' in answer.get_data(as_text=True)
    short = _report(web, claimant.critical_illness, facts="ill")
    assert 'data-test="error-facts"' in short.get_data(as_text=True) and "10 to 2,000 characters" in short.get_data(as_text=True)
    unchosen = _report(web, claimant.critical_illness, kind="")
    assert "Choose what you are claiming for." in unchosen.get_data(as_text=True)
    uncovered = _report(web, claimant.whole_life, kind="critical_illness")
    assert uncovered.status_code == 422 and 'data-test="error-kind"' in uncovered.get_data(as_text=True)


def test_a_new_payee_account_is_added_encrypted(uow, web, claimant):
    bad = _report(web, claimant.critical_illness, bank_account="new", new_bank_name="招商银行", new_account_number="12345")
    assert bad.status_code == 422 and 'data-test="error-account_number"' in bad.get_data(as_text=True)
    uow.session.expire_all()
    assert len(uow.session.scalars(select(BankAccount).where(BankAccount.customer_id == claimant.customer.id)).all()) == 1
    _reported(web, claimant.critical_illness, bank_account="new", new_bank_name="招商银行",
              new_account_number="6225 8801 9876 5432")
    accounts = uow.session.scalars(select(BankAccount).where(BankAccount.customer_id == claimant.customer.id)
                                   .order_by(BankAccount.id)).all()
    assert len(accounts) == 2 and "6225880198765432" not in accounts[1].account_cipher
    claim = uow.session.scalars(select(Claim)).one()
    assert claim.payee_bank_account_id == accounts[1].id
    page = web.text(f"/claims/{claim.reference}")  # where the money goes, masked
    assert re.search(r'data-test="payee">招商银行 \*+ ?5432<', page) and "6225880198765432" not in page


def test_documents_upload_and_download_as_attachments(uow, web, claimant):
    path = _reported(web, claimant.critical_illness)
    assert upload(web, path, "discharge_summary", PDF, "出院小结.pdf").status_code == 303
    assert upload(web, path, "invoices", PNG, "invoice.png").status_code == 303
    page = web.text(path)
    assert 'data-test="missing-id_card"' in page and 'data-test="missing-invoices"' not in page
    link = re.search(r'href="(/claims/CL\w+/documents/DOC\w+)"[^>]*>出院小结.pdf', page).group(1)
    download = web.get(link)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "We still need 1 document" in page


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"MZ\x90\x00 this is a program", "id.pdf", "Only PDF, JPEG and PNG files are accepted"),
    (b"", "id.pdf", "The file is empty."),
    (b"%PDF-" + bytes(MAX_BYTES), "id.pdf", "The file is larger than 10 MB."),
])
def test_bad_uploads_are_refused_beside_the_field_and_nothing_is_stored(uow, web, claimant, tmp_path, data, filename, message):
    path = _reported(web, claimant.critical_illness)
    answer = upload(web, path, "id_card", data, filename)
    assert answer.status_code == 422
    error = re.search(r'<p class="field-error" id="error-id_card"[^>]*>([^<]+)</p>', answer.get_data(as_text=True))
    assert error and message in error.group(1)
    assert documents(uow) == 0 and stored_objects(tmp_path) == []


def test_a_body_over_the_request_limit_gets_a_clear_413(uow, web, claimant, tmp_path):
    path = _reported(web, claimant.critical_illness)
    answer = upload(web, path, "id_card", b"%PDF-" + bytes(25 * 1024 * 1024))  # 25 MB: over the request limit too
    page = answer.get_data(as_text=True)
    # Back on the claim, in the user's language, with the documents' own limit (not a bare 413 page).
    assert answer.status_code == 413 and "The file is larger than 10 MB." in page
    assert path.rsplit("/", 1)[-1] in page and 'data-test="upload-id_card"' in page
    assert documents(uow) == 0 and stored_objects(tmp_path) == []
    web.client.set_cookie("lang", "zh")
    assert "文件超过10 MB" in upload(web, path, "id_card", bytes(25 * 1024 * 1024)).get_data(as_text=True)


def test_an_open_claim_blocks_conflicting_servicing_and_says_why(uow, web, claimant):
    _reported(web, claimant.critical_illness)
    page = web.text(f"/policies/{claimant.critical_illness.policy_number}/services")
    card = re.search(r'data-test="service-sum_assured_reduction">(.*?)</li>', page, re.S).group(1)
    assert "A claim on this policy is being handled" in card
    assert 'data-test="open-sum_assured_reduction"' not in page
    other_policy = web.text(f"/policies/{claimant.whole_life.policy_number}/services")
    assert 'data-test="open-sum_assured_reduction"' in other_policy  # the claim is on the other policy


def test_another_policyholder_cannot_list_see_or_download(uow, web, other_web, claimant):
    path = _reported(web, claimant.critical_illness)
    upload(web, path, "id_card", PDF)
    link = re.search(r'href="(/claims/CL\w+/documents/DOC\w+)"', web.text(path)).group(1)
    make_claimant(uow, "neighbour@example.com", "+8613700001111")
    other_web.login("neighbour@example.com", PASSWORD)
    assert path.rsplit("/", 1)[1] not in other_web.text("/claims")
    assert other_web.get(path).status_code == 404
    assert other_web.get(link).status_code == 404
    assert upload(other_web, path, "invoices", PDF).status_code == 404
    assert other_web.get(f"/claims/new?policy={claimant.critical_illness.policy_number}").status_code == 404


def test_a_claim_reported_by_mistake_is_withdrawn_and_servicing_opens_again(uow, web, other_web, claimant):
    path = _reported(web, claimant.critical_illness)
    services = f"/policies/{claimant.critical_illness.policy_number}/services"
    assert 'data-test="open-sum_assured_reduction"' not in web.text(services)
    make_claimant(uow, "neighbour2@example.com", "+8613700002222")
    other_web.login("neighbour2@example.com", PASSWORD)
    assert other_web.post_form(f"{path}/withdraw", {}, token_from="/claims").status_code == 404

    assert web.post_form(f"{path}/withdraw", {}, token_from=path).status_code == 303
    page = web.text(path)
    assert 'data-test="claim-status">Withdrawn<' in page and 'data-test="withdraw-claim"' not in page
    assert 'data-test="open-sum_assured_reduction"' in web.text(services)
    uow.session.expire_all()
    claim = uow.session.scalars(select(Claim)).one()
    assert [e.status for e in claim.timeline] == ["reported", "withdrawn"]
    again = web.post_form(f"{path}/withdraw", {}, token_from=path)
    assert again.status_code == 422 and "can be withdrawn" in again.get_data(as_text=True)


def test_every_mistake_of_the_form_is_shown_at_once_each_at_its_field(uow, web, claimant):
    answer = _report(web, claimant.critical_illness, kind="", incident_date="2026-02-30", facts="ill",
                     claimant_name="名" * 61, bank_account="9")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "5 fields need correcting" in text
    marked = dict(re.findall(r'data-test="error-([a-z_]+)">([^<]+)<', text))
    assert set(marked) == {"kind", "incident_date", "facts", "claimant_name", "bank_account"}
    assert marked["kind"] == "Choose what you are claiming for." and "10 to 2,000" in marked["facts"]
    assert text.count('aria-invalid="true"') >= 4  # the kind is a group of choices, marked by its message
    new_payee = _report(web, claimant.critical_illness, facts="ill", bank_account="new", new_bank_name="x",
                        new_account_number="12345")
    assert set(re.findall(r'data-test="error-([a-z_]+)"', new_payee.get_data(as_text=True))) == {
        "facts", "bank_name", "account_number"}
    assert not uow.session.scalars(select(Claim)).all()
