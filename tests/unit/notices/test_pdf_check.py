"""A notice's PDF checked offline: genuine when its carried data verifies and its PAdES
signature (if any) is ours, intact and over the whole file; refused when the data was edited,
a byte changed, a revision appended, or another ring signed it."""
from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pyhanko.pdf_utils.generic import NameObject, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from iaas.keyring import LocalKeyRing
from paas.notices import document, pades, render
from paas.notices.pdf_check import NO_PDF_SIGNATURE, PDF_SIGNATURE_INVALID, PDF_SIGNATURE_VALID, check_pdf
from tests.notices_support import sample_data


@pytest.fixture(scope="module")
def ring():
    return LocalKeyRing.generate()


@pytest.fixture(scope="module")
def notice(ring):
    return document.sign(sample_data("claim_decision", "zh"), ring)


@pytest.fixture(scope="module")
def plain_pdf(notice):
    return render.render_pdf(notice, "zh")


@pytest.fixture(scope="module")
def signed_pdf(plain_pdf, ring):
    return pades.PdfSigner(ring).sign_pdf(plain_pdf)


def test_a_signed_letter_is_genuine_with_its_code_and_signer(signed_pdf, ring, notice):
    verdict = check_pdf(signed_pdf, ring)
    assert verdict.genuine and verdict.pdf_signature == PDF_SIGNATURE_VALID
    assert verdict.data == notice.data and verdict.code == notice.code and verdict.key_id == notice.key_id
    assert "self-issued, embedded default" in verdict.signer


def test_an_unsigned_letter_has_genuine_data_and_says_it_has_no_pdf_signature(plain_pdf, ring):
    verdict = check_pdf(plain_pdf, ring)
    assert verdict.genuine and verdict.pdf_signature == NO_PDF_SIGNATURE


def test_public_keys_alone_check_the_data(signed_pdf, ring):
    assert check_pdf(signed_pdf, ring.public_keys()).genuine
    assert not check_pdf(signed_pdf, LocalKeyRing.generate().public_keys()).genuine


def test_edited_data_in_a_letter_is_refused(ring, notice):
    forged = replace(notice, data={**notice.data, "fields": {**notice.data["fields"], "decision": "approved",
                                                                    "amount": "999999.00"}})
    for pdf in (render.render_pdf(forged, "zh"), pades.sign_pdf(render.render_pdf(forged, "zh"), ring)):
        verdict = check_pdf(pdf, ring)
        assert not verdict.genuine and not verdict.data_genuine
        assert any("does not match the signature" in problem for problem in verdict.problems)


def test_a_byte_changed_after_signing_is_refused(signed_pdf, ring):
    start = signed_pdf.index(b"stream", 1000) + 100
    tampered = signed_pdf[:start] + bytes([signed_pdf[start] ^ 0x01]) + signed_pdf[start + 1:]
    verdict = check_pdf(tampered, ring)
    assert not verdict.genuine and verdict.pdf_signature == PDF_SIGNATURE_INVALID


def test_a_revision_appended_after_signing_is_refused(signed_pdf, ring):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf), strict=False)
    writer.root[NameObject("/Lang")] = pdf_string("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict = check_pdf(out.getvalue(), ring)
    assert not verdict.genuine and verdict.pdf_signature == PDF_SIGNATURE_INVALID
    assert any("added to the PDF after it was signed" in problem for problem in verdict.problems)


def test_a_pdf_signed_by_another_ring_is_refused(plain_pdf, ring):
    verdict = check_pdf(pades.sign_pdf(plain_pdf, LocalKeyRing.generate()), ring)
    assert verdict.data_genuine and not verdict.genuine
    assert any("not by our certificate" in problem for problem in verdict.problems)


def test_not_a_notice_is_refused(ring):
    assert not check_pdf(b"hello", ring).genuine
    assert not check_pdf(b"%PDF-1.7\n%%EOF", ring).genuine


def test_after_rotation_old_letters_still_verify_and_new_ones_name_the_new_key(signed_pdf, ring, notice):
    rotated = ring.rotated()
    assert check_pdf(signed_pdf, rotated).genuine
    fresh = document.sign(notice.data, rotated)
    verdict = check_pdf(pades.sign_pdf(render.render_pdf(fresh, "en"), rotated), rotated)
    assert verdict.genuine and rotated.active_key_id in verdict.signer and verdict.key_id == rotated.active_key_id
