"""``portal notices verify FILE.pdf``: a clear verdict and exit status, with the portal's key ring
or with its exported public keys."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from iaas.keyring import LocalKeyRing
from paas.notices import document, pades, render
from portal.cli import main
from tests.notices_support import sample_data


@pytest.fixture
def ring(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return LocalKeyRing.load_or_create(tmp_path / "keys" / "keyring.json")


def verify(*args):
    return CliRunner().invoke(main, ["notices", "verify", *map(str, args)], catch_exceptions=False)


def test_a_delivered_letter_is_genuine(ring, tmp_path):
    notice = document.sign(sample_data("lapse", "en"), ring)
    path = tmp_path / "lapse.pdf"
    path.write_bytes(pades.sign_pdf(render.render_pdf(notice, "en"), ring))
    result = verify(path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("GENUINE: notice N0000001 (Lapse notice)") and notice.code in result.output
    assert "PDF signature valid over the whole file" in result.output and "embedded default" in result.output
    keys = tmp_path / "public.json"
    keys.write_text(json.dumps(ring.public_keys()))
    assert verify(path, "--public-keys", keys).exit_code == 0


def test_an_unsigned_letter_is_genuine_data_whose_print_is_not_vouched_for(ring, tmp_path):
    path = tmp_path / "due.pdf"
    path.write_bytes(render.render_pdf(document.sign(sample_data("premium_due", "zh"), ring), "zh"))
    result = verify(path)
    assert result.exit_code == 0 and "no PDF signature" in result.output and "amount: " in result.output


def test_a_tampered_letter_is_not_genuine(ring, tmp_path):
    notice = document.sign(sample_data("claim_decision", "zh"), ring)
    forged = document.SignedNotice({**notice.data, "recipient_name": "Mallory"}, notice.key_id, notice.signature)
    path = tmp_path / "forged.pdf"
    path.write_bytes(render.render_pdf(forged, "zh"))
    result = CliRunner().invoke(main, ["notices", "verify", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("NOT GENUINE: forged.pdf") and "does not match the signature" in result.output
    path.write_bytes(b"not a pdf at all")
    result = CliRunner().invoke(main, ["notices", "verify", str(path)])
    assert result.exit_code == 1 and "not a readable PDF" in result.output


def test_without_noto_cjk_the_font_cut_says_what_to_install_and_shows_no_traceback(tmp_path, monkeypatch):
    from paas.notices import fonts

    monkeypatch.setenv("PORTAL_NOTICE_FONTS", str(tmp_path / "no-fonts-here"))
    monkeypatch.setenv("PORTAL_NOTICE_FONT_CACHE", str(tmp_path / "cut"))
    for cached in (fonts.noto_folders, fonts.font_folders, fonts.text_fonts):
        cached.cache_clear()
    try:
        result = CliRunner().invoke(main, ["notices", "fonts"])
    finally:
        for cached in (fonts.noto_folders, fonts.font_folders, fonts.text_fonts):
            cached.cache_clear()
    assert result.exit_code == 1 and not isinstance(result.exception, fonts.FontsMissing)
    assert "Noto Sans CJK SC Regular not found" in result.output and "the rest of the portal works" in result.output
    assert "Traceback" not in result.output
