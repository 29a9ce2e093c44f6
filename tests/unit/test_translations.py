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


def test_every_translation_is_chinese():
    """A Chinese catalogue entry holds no English word (codes, units and acronyms aside) and
    some Chinese, unless the message is only a code or a placeholder."""
    import re

    from tests.language_checks import foreign_words

    # The API's messages quote its own field names and a CSV header literally.
    wire_names = {"file", "code", "dues", "age", "qx"}
    english = []
    for message in _catalog():
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        quoted = set(re.findall(r"[A-Za-z]+_[A-Za-z_]+", msgid))  # API field names, the same in both
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            bare = re.sub(r"%\(\w+\)s|%%", " ", string)
            words = set(foreign_words(bare, "zh")) - wire_names - quoted
            code_only = not re.search(r"[\u4e00-\u9fff]", bare) and not foreign_words(msgid, "zh")
            if words or not (re.search(r"[\u4e00-\u9fff]", bare) or code_only):
                english.append((message.id, string))
    assert english == []


def test_the_catalogue_says_each_thing_one_way():
    """One term for one thing (减额交清, never 减额缴清), and no message that reads as done
    when it means "needs" (the SMS hint said 已通过短信验证码确认)."""
    strings = " ".join(str(m.string) for m in _catalog() if m.id)
    assert "缴清" not in strings and "减额交清" in strings
    assert "已通过短信验证码确认" not in strings and "需短信验证码确认" in strings


def test_one_message_id_is_not_two_meanings():
    """The statistics' end date and the outbox's recipient were one msgid ("To"): 收件人 on a
    date field. Each is its own message now."""
    translated = {m.id: m.string for m in _catalog() if m.id}
    assert translated["End date"] != translated["To"] and "日期" in translated["End date"]
