"""Every text the platform shows exists in Chinese, and the compiled catalogue is current."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import Translations

from paas.i18n import TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parents[2]
PO = TRANSLATIONS_DIR / "zh" / "LC_MESSAGES" / "messages.po"


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh")


def test_every_message_in_the_source_is_in_the_catalogue(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "--mapping-file", "paas/i18n/babel.cfg",
         "--keywords", "N_", "--keywords", "_l", "--no-location", "--output-file", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        source_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    catalog_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    assert source_ids - catalog_ids == set(), "run `make i18n` and translate the new messages"


def test_every_message_is_translated_and_keeps_its_placeholders():
    import re

    placeholder = re.compile(r"%\((\w+)\)s")
    for message in _catalog():
        if not message.id:
            continue
        assert message.string, f"untranslated: {message.id!r}"
        assert "fuzzy" not in message.flags, f"fuzzy: {message.id!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)  # plurals: singular, plural
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(placeholder.findall(i) for i in ids))
        for string in strings:
            assert string and set(placeholder.findall(string)) == wanted, message.id


def test_compiled_catalogue_matches_the_po_file():
    compiled = Translations.load(str(TRANSLATIONS_DIR), ["zh"])
    for message in _catalog():
        if message.id and isinstance(message.id, str):
            assert compiled.gettext(message.id) == message.string, "run `make i18n` to recompile"
