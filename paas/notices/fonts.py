"""Where the letters' fonts are: Debian's Noto CJK (``fonts-noto-cjk``, installed by .ci/run), whose
Sans faces cover Chinese and Latin alike, so one family serves both languages. typst embeds
and subsets what a letter uses. typst reads font folders, not single files, and only these
folders: system fonts are ignored, so every machine renders the same letter.

Noto CJK's faces hold 65,535 glyphs each, and typst's subsetter reads the whole CFF glyph index
of a face for every letter it embeds it in (a quarter of a letter's time went to subsetting).
So the letters' first font is a cut of Noto Sans CJK SC, regular and bold, to the characters a
letter uses: GB 2312 (the 6,763 common Hanzi and its symbols), Latin, and the punctuation of
both - built once with fontTools from the Debian font (``portal notices fonts``, run by ``make
migrate`` and the image build) into the data dir. The full Noto stays behind it as typst's
fallback, so a rare character in a name (䶮) still prints, from the full font. Without the cut
(never built) letters use the full Noto alone: the same letter, only slower."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from paas.data_dir import data_dir

FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJK-Regular.ttc"
SEARCHED = (
    "/usr/share/fonts/opentype/noto",  # Debian, Ubuntu
    "/usr/share/fonts/noto-cjk",  # Fedora, Arch
    "/usr/share/fonts/google-noto-cjk",
    "/usr/local/share/fonts",
    "/usr/share/fonts",
)
LETTER_FAMILY = "Noto Sans CJK SC Letter"
LETTER_POSTSCRIPT = "NotoSansCJKscLetter"
# Part of the file names: a change to what the cut holds (characters, features) builds anew.
LETTER_RECIPE = 1
WEIGHTS = ("Regular", "Bold")  # the weights layout.typ uses
# The shaping features typst (rustybuzz) applies to Chinese and Latin text; the cut keeps their
# lookups for the characters it holds, so it shapes as the full font does.
LETTER_FEATURES = ("ccmp", "locl", "mark", "mkmk", "rlig", "calt", "clig", "curs", "dist", "kern", "liga",
                   "rclt", "rvrn", "abvm", "blwm")


class FontsMissing(RuntimeError):
    """No CJK font: a Chinese letter would print empty boxes, so none is made."""


@cache
def noto_folders() -> tuple[str, ...]:
    """The folder holding Noto Sans CJK; ``PORTAL_NOTICE_FONTS`` (folders, ``:``-separated) overrides."""
    configured = os.environ.get("PORTAL_NOTICE_FONTS")
    if configured:
        return tuple(folder for folder in configured.split(os.pathsep) if folder)
    for folder in SEARCHED:
        if (Path(folder) / FONT_FILE).is_file():
            return (folder,)
    for folder in SEARCHED:
        found = next(Path(folder).rglob(FONT_FILE), None) if Path(folder).is_dir() else None
        if found is not None:
            return (str(found.parent),)
    raise FontsMissing(f"{FONT_FILE} not found (install Debian's fonts-noto-cjk, or set PORTAL_NOTICE_FONTS)")


@cache
def font_folders() -> tuple[str, ...]:
    """The folders typst reads: the letters' cut first when it is built, then Noto CJK."""
    folder = letter_font_folder()
    built = all(path.is_file() for path in letter_font_files(folder))
    return ((str(folder),) if built else ()) + noto_folders()


@cache
def text_fonts() -> tuple[str, ...]:
    """The families a letter's text is set in, in typst's order of fallback."""
    return (LETTER_FAMILY, FAMILY) if str(letter_font_folder()) in font_folders() else (FAMILY,)


def letter_font_folder() -> Path:
    """``PORTAL_NOTICE_FONT_CACHE``, else ``fonts`` in the data dir (``paas.data_dir``)."""
    configured = os.environ.get("PORTAL_NOTICE_FONT_CACHE")
    if configured:
        return Path(configured).resolve()
    return data_dir(os.environ) / "fonts"


def letter_font_files(folder: Path) -> list[Path]:
    return [folder / f"{LETTER_POSTSCRIPT}-{weight}-{LETTER_RECIPE}.otf" for weight in WEIGHTS]


def build_letter_fonts(folder: Path | None = None, *, on_cut: Callable[[Path], None] | None = None) -> list[Path]:
    """Cut the letters' fonts from the installed Noto CJK, unless already there (a minute or two
    a weight). Each file is written under another name and renamed, so processes building at
    once, or one stopped halfway, never leave a half-written font that typst would read."""
    folder = folder or letter_font_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for weight, path in zip(WEIGHTS, letter_font_files(folder)):
        if not path.is_file():
            if on_cut is not None:  # told before each cut: it takes a minute or so
                on_cut(path)
            _cut(weight, path)
    font_folders.cache_clear()
    text_fonts.cache_clear()
    return letter_font_files(folder)


def letter_characters() -> set[int]:
    """What the cut holds: GB 2312 (its Hanzi and symbols), ASCII and Latin-1 and Latin
    Extended-A (names in English), general and CJK punctuation, letterlike symbols, enclosed
    numbers, shapes, and the full-width forms."""
    held = {*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2000, 0x2070), *range(0x2100, 0x2200),
            *range(0x2460, 0x2500), *range(0x25A0, 0x2600), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                held.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return held


def _source(weight: str):
    """The Simplified Chinese face of Noto Sans CJK of this weight, from its collection."""
    from fontTools.ttLib import TTCollection

    name = FONT_FILE.replace("Regular", weight)
    for folder in noto_folders():
        path = Path(folder) / name
        if path.is_file():
            for font in TTCollection(str(path)).fonts:
                if font["name"].getDebugName(1) == FAMILY:
                    return font
    raise FontsMissing(f"{FAMILY} {weight} not found in {name} under {', '.join(noto_folders())} "
                       "(install Debian's fonts-noto-cjk, or set PORTAL_NOTICE_FONTS)")


def _cut(weight: str, path: Path) -> None:
    from fontTools import subset

    font = _source(weight)
    options = subset.Options()
    options.layout_features = list(LETTER_FEATURES)
    options.name_IDs, options.name_languages = ["*"], ["*"]  # the licence and copyright stay
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=letter_characters())
    subsetter.subset(font)
    # A family of its own, so that typst falls back from it to the full Noto per character.
    postscript = f"{LETTER_POSTSCRIPT}-{weight}"
    names = {1: LETTER_FAMILY, 16: LETTER_FAMILY, 4: f"{LETTER_FAMILY} {weight}", 6: postscript, 3: postscript}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    font["CFF "].cff.fontNames = [postscript]
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as partial:
        font.save(partial)
    os.chmod(partial.name, 0o644)  # read by the service's own user too, when built as root for the image
    os.replace(partial.name, path)
