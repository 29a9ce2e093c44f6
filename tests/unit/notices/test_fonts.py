"""The letters' fonts: Debian's Noto CJK found on disk, a configured folder preferred, and no
letter made without one (typst would print Chinese as empty boxes); the letters' cut of it,
built once, read first, with the full Noto behind it."""
from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from paas.notices import fonts


def clear():
    for cached in (fonts.noto_folders, fonts.font_folders, fonts.text_fonts):
        cached.cache_clear()


@pytest.fixture(autouse=True)
def fresh_lookup():
    clear()
    yield
    clear()


def test_the_installed_noto_cjk_is_found(monkeypatch):
    monkeypatch.delenv("PORTAL_NOTICE_FONTS", raising=False)
    (folder,) = fonts.noto_folders()
    assert (Path(folder) / fonts.FONT_FILE).is_file()


def test_configured_folders_come_first(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_NOTICE_FONTS", f"{tmp_path}:/usr/share/fonts")
    assert fonts.noto_folders() == (str(tmp_path), "/usr/share/fonts")


def test_without_the_font_no_letter_is_made(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_NOTICE_FONTS", raising=False)
    monkeypatch.setattr(fonts, "SEARCHED", (str(tmp_path),))
    with pytest.raises(fonts.FontsMissing):
        fonts.font_folders()


def test_the_letters_cut_comes_first_with_the_full_noto_behind_it():
    folder = fonts.letter_font_folder()  # built by conftest.py
    assert fonts.font_folders() == (str(folder), *fonts.noto_folders())
    assert fonts.text_fonts() == (fonts.LETTER_FAMILY, fonts.FAMILY)
    for path, weight in zip(fonts.letter_font_files(folder), fonts.WEIGHTS):
        font = TTFont(path)
        assert font["name"].getDebugName(1) == fonts.LETTER_FAMILY and font["name"].getDebugName(6).endswith(weight)
        mapped = set(font.getBestCmap())
        assert len(mapped & fonts.letter_characters()) > 7000  # GB 2312: 7,445 characters
        assert {ord(ch) for ch in "保单交费通知书尊敬的张三丰先生¥0123456789,.：（）Dear Jane"} <= mapped
        assert font["maxp"].numGlyphs < 16000  # of Noto's 65,535


def test_without_the_cut_letters_use_the_full_noto(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_NOTICE_FONT_CACHE", str(tmp_path / "never-built"))
    assert fonts.font_folders() == fonts.noto_folders()
    assert fonts.text_fonts() == (fonts.FAMILY,)


def test_each_cut_is_announced_before_it_is_made_and_a_made_one_is_kept(monkeypatch, tmp_path):
    made = []
    monkeypatch.setattr(fonts, "_cut", lambda weight, path: (made.append(path.name), path.write_bytes(b"otf")))
    announced = []
    first, second = fonts.letter_font_files(tmp_path)
    second.write_bytes(b"made before")
    assert fonts.build_letter_fonts(tmp_path, on_cut=lambda path: announced.append((path.name, list(made)))) == [first, second]
    assert announced == [(first.name, [])] and made == [first.name]  # told before the minute it takes
    assert second.read_bytes() == b"made before"


def test_the_font_cut_lives_in_the_data_dir_the_settings_name(monkeypatch, tmp_path):
    from portal.config import Settings

    monkeypatch.delenv("PORTAL_NOTICE_FONT_CACHE", raising=False)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    assert fonts.letter_font_folder() == Settings.from_env().data_dir / "fonts"
