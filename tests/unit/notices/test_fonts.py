"""The letters' fonts: Debian's Noto CJK found on disk, a configured folder preferred, and no
letter made without one (typst would print Chinese as empty boxes)."""
from __future__ import annotations

from pathlib import Path

import pytest

from paas.notices import fonts


@pytest.fixture(autouse=True)
def fresh_lookup():
    fonts.font_folders.cache_clear()
    yield
    fonts.font_folders.cache_clear()


def test_the_installed_noto_cjk_is_found(monkeypatch):
    monkeypatch.delenv("PORTAL_NOTICE_FONTS", raising=False)
    (folder,) = fonts.font_folders()
    assert (Path(folder) / fonts.FONT_FILE).is_file()


def test_configured_folders_come_first(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_NOTICE_FONTS", f"{tmp_path}:/usr/share/fonts")
    assert fonts.font_folders() == (str(tmp_path), "/usr/share/fonts")


def test_without_the_font_no_letter_is_made(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_NOTICE_FONTS", raising=False)
    monkeypatch.setattr(fonts, "SEARCHED", (str(tmp_path),))
    with pytest.raises(fonts.FontsMissing):
        fonts.font_folders()
