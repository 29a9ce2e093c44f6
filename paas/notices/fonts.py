"""Where the letters' fonts are: Debian's Noto CJK (``fonts-noto-cjk``, installed by .ci/run), whose
Sans faces cover Chinese and Latin alike, so one family serves both languages. typst embeds
and subsets what a letter uses. typst reads font folders, not single files, and only these
folders: system fonts are ignored, so every machine renders the same letter."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJK-Regular.ttc"
SEARCHED = (
    "/usr/share/fonts/opentype/noto",  # Debian, Ubuntu
    "/usr/share/fonts/noto-cjk",  # Fedora, Arch
    "/usr/share/fonts/google-noto-cjk",
    "/usr/local/share/fonts",
    "/usr/share/fonts",
)


class FontsMissing(RuntimeError):
    """No CJK font: a Chinese letter would print empty boxes, so none is made."""


@cache
def font_folders() -> tuple[str, ...]:
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
