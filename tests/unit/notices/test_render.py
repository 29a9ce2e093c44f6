"""Every type rendered in Chinese and English, as HTML and as PDF: the PDF's text read back
holds the notice's figures, its title in the reader's language, and the verification code;
the signed data travels inside it; nothing typed by a customer becomes markup."""
from __future__ import annotations

import io
import json
import re

import pypdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen

from iaas.keyring import LocalKeyRing
from paas.i18n import translate
from paas.notices import document, render, view
from paas.notices import fonts as fonts_module
from paas.notices.types import ALL, LETTERS, MONEY
from tests.notices_support import sample_data

PUBLIC_URL = "https://portal.example.com"
RING = LocalKeyRing.generate()


def signed(type_code: str, language: str, **overrides) -> document.SignedNotice:
    data = sample_data(type_code, language)
    data.update(overrides)
    return document.sign(data, RING)


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # Extraction puts spaces between Chinese and digits ("2026 年 3 月"): compare without them.
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def key_figures(doc: document.SignedNotice, locale: str) -> list[str]:
    kind = {t.code: t for t in ALL}[doc.data["type"]]
    written = view.written_fields(kind, doc.data["fields"], locale)
    return ["".join(written[f.name].split()) for f in kind.fields if f.name in written]


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("kind", LETTERS, ids=lambda t: t.code)
def test_each_letter_as_pdf_says_its_figures_in_the_readers_language(kind, locale):
    doc = signed(kind.code, locale)
    pdf = render.render_pdf(doc, locale, public_url=PUBLIC_URL)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for figure in key_figures(doc, locale):
        assert figure in text
    assert "".join(translate(locale, kind.title).split()) in text
    assert doc.code in text and doc.data["notice_number"] in text and "P00012345" in text
    legal = "".join(translate(locale, view.LEGALLY_REQUIRED).split())
    assert (legal in text) == kind.legally_required
    if locale == "zh":
        assert "保单" in text and "Dear" not in text
    else:
        assert "Dear" in text and "保单" not in text
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    carried = json.loads(reader.attachments[render.ATTACHMENT][0])
    assert document.verify(carried["data"], carried["signature"], carried["key_id"], keys=RING)
    assert carried["data"] == doc.data


def test_the_pdf_is_pdf_a_3u_for_the_archive():
    reader = pypdf.PdfReader(io.BytesIO(render.render_pdf(signed("dividend", "en"), "en")))
    xml = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in xml and b"<pdfaid:conformance>U</pdfaid:conformance>" in xml


def test_the_pdf_embeds_subsets_of_the_chinese_font():
    reader = pypdf.PdfReader(io.BytesIO(render.render_pdf(signed("lapse", "zh"), "zh")))
    fonts = [font["/BaseFont"] for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all("NotoSansCJK" in name and name[7] == "+" for name in fonts)  # ABCDEF+: a subset
    # The letters' cut of Noto (tests/unit/notices/conftest.py builds it), regular and bold.
    assert sorted(name.split("+")[1].split("-Identity")[0] for name in fonts) == [
        f"{fonts_module.LETTER_POSTSCRIPT}-{weight}" for weight in ("Bold", "Regular")]
    descendant = reader.pages[0]["/Resources"]["/Font"][next(iter(reader.pages[0]["/Resources"]["/Font"]))]
    descriptor = descendant["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert any(key in descriptor for key in ("/FontFile2", "/FontFile3"))


def embedded_glyphs(pdf: bytes) -> dict[str, list[tuple[str, bool]]]:
    """Per embedded font (BaseFont): each character its ToUnicode map names, and whether the
    glyph drawn for it in the embedded font program has an outline (a non-empty box)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert font["/Encoding"] == "/Identity-H" and descendant["/Subtype"] == "/CIDFontType0"
            program = descendant["/FontDescriptor"]["/FontFile3"].get_object()
            assert program["/Subtype"] == "/CIDFontType0C"  # bare CFF: a code is a CID
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(program.get_data()), None)
            top = cff[cff.fontNames[0]]
            strings = top.CharStrings
            glyphs = []
            for cid, text in to_unicode(font["/ToUnicode"].get_object().get_data()):
                name = f"cid{cid:05d}" if hasattr(top, "ROS") else top.charset[cid]
                pen = BoundsPen(None)
                strings[name].draw(pen)
                glyphs.append((text, pen.bounds is not None))
            found[str(font["/BaseFont"])] = glyphs
    return found


def to_unicode(cmap: bytes) -> list[tuple[int, str]]:
    """(code, text) of a ToUnicode CMap's bfchar entries and bfrange runs."""
    pairs = []
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            pairs.append((int(code, 16), bytes.fromhex(text.decode()).decode("utf-16-be")))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(text, 16)
            pairs += [(code, chr(start + offset)) for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1))]
    return pairs


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("kind", LETTERS, ids=lambda t: t.code)
def test_every_character_of_a_letter_is_drawn_with_an_outline(kind, locale):
    """An embedded font whose glyphs are empty (as a font conversion once made them) prints
    empty boxes, while the text layer still reads right: so the outlines themselves are checked."""
    # A rare Hanzi (outside GB 2312, so outside the letters' cut) in the name: from the full Noto.
    doc = signed(kind.code, locale, recipient_name="王䶮" if locale == "zh" else "Jane Smith")
    pdf = render.render_pdf(doc, locale, public_url=PUBLIC_URL)
    glyphs = embedded_glyphs(pdf)
    drawn = {ch for font in glyphs.values() for text, outlined in font if outlined for ch in text}
    blank = {ch for font in glyphs.values() for text, outlined in font if not outlined for ch in text}
    assert blank <= {" ", "\u3000", "\u00a0"}, f"glyphs without outlines: {sorted(blank)}"
    assert {ch for ch in pdf_text(pdf)} <= drawn
    # Enough to mean something: every figure's digits, the title's characters.
    assert set("0123456789") & drawn and set("".join(translate(locale, kind.title).split())) <= drawn
    names = sorted(name.split("+")[1].split("-Identity")[0] for name in glyphs)
    if locale == "zh":
        assert "䶮" in drawn and "NotoSansCJKsc-Regular" in names  # the fallback to the full font
    assert f"{fonts_module.LETTER_POSTSCRIPT}-Regular" in names


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("kind", ALL, ids=lambda t: t.code)
def test_each_type_as_html_says_its_figures_with_the_code_and_a_qr(kind, locale):
    doc = signed(kind.code, locale)
    html = render.render_html(doc, locale, public_url=PUBLIC_URL)
    for figure in view.written_fields(kind, doc.data["fields"], locale).values():
        assert figure in html
    assert translate(locale, kind.title) in html
    assert f'href="{PUBLIC_URL}/verify?code={doc.code}"' in html
    assert "<svg" in html and f'lang="{locale}"' in html
    assert ("尊敬的" in html) == (locale == "zh") and ("Dear" in html) == (locale == "en")
    assert ("P00012345" in html) == kind.about_policy


def test_html_for_e_mail_links_the_qr_image_instead_of_inline_svg():
    doc = signed("premium_receipt", "en")
    html = render.render_html(doc, "en", public_url=PUBLIC_URL, qr_image_url=PUBLIC_URL + "/verify/qr/{code}.svg")
    assert f'<img src="{PUBLIC_URL}/verify/qr/{doc.code}.svg"' in html and "<svg" not in html


def test_a_letter_shown_in_another_language_than_its_data_follows_the_reader():
    doc = signed("premium_due", "zh")
    assert "Premium due notice" in render.render_html(doc, "en")
    assert "Premiumduenotice" in pdf_text(render.render_pdf(doc, "en"))
    assert "交费通知单" in render.render_html(doc, "fr")  # unknown language: the recipient's


def test_one_compiler_makes_every_letter_and_threads_get_their_own():
    """The pool: a compiler compiles whichever letter comes, and two letters at once take two."""
    import threading

    made = {}
    start = threading.Barrier(2)

    def letter(kind):
        start.wait()
        made[kind] = pdf_text(render.render_pdf(signed(kind, "en"), "en"))

    threads = [threading.Thread(target=letter, args=(kind,)) for kind in ("lapse", "dividend")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "".join(translate("en", notice_type_title("lapse")).split()) in made["lapse"]
    assert "".join(translate("en", notice_type_title("dividend")).split()) in made["dividend"]
    assert 1 <= len(render._POOL._idle) <= 2
    with render._POOL.compiler() as compiler:  # the same compiler, one letter after another
        for kind in ("lapse", "dividend"):
            inputs = render.typst_inputs(signed(kind, "zh"), "zh", PUBLIC_URL)
            text = pdf_text(compiler.compile(input=render._template(kind), sys_inputs=inputs,
                                             pdf_standards=render.PDF_STANDARDS))
            assert "".join(translate("zh", notice_type_title(kind)).split()) in text


def test_letters_made_before_the_cut_was_built_leave_their_compilers_behind(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_NOTICE_FONT_CACHE", str(tmp_path / "not-yet"))
    fonts_module.font_folders.cache_clear()
    fonts_module.text_fonts.cache_clear()
    try:
        before = embedded_glyphs(render.render_pdf(signed("lapse", "zh"), "zh"))
        assert all(fonts_module.LETTER_POSTSCRIPT not in name for name in before)
    finally:
        monkeypatch.undo()
        fonts_module.font_folders.cache_clear()
        fonts_module.text_fonts.cache_clear()
    after = embedded_glyphs(render.render_pdf(signed("lapse", "zh"), "zh"))
    assert any(fonts_module.LETTER_POSTSCRIPT in name for name in after)
    assert all(folders == fonts_module.font_folders() for folders, _ in render._POOL._idle)


def notice_type_title(code: str):
    return {t.code: t for t in ALL}[code].title


def test_an_account_notice_has_no_pdf():
    with pytest.raises(render.NoLetter):
        render.render_pdf(signed("new_device", "en"), "en")


def test_what_a_customer_typed_stays_text_in_html_and_typst():
    hostile = '<script>alert(1)</script> #set page(fill: red) ] #panic("x") \\'
    doc = signed("premium_due", "en", recipient_name=hostile)
    html = render.render_html(doc, "en")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    text = pdf_text(render.render_pdf(doc, "en"))
    assert '#panic("x")' in text and "<script>alert(1)</script>" in text


def test_money_is_written_to_the_fen_with_thousands():
    assert view.money_text("1234567.5") == "¥1,234,567.50"
    assert view.field_text(MONEY, "0.10", "zh") == "¥0.10"


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("kind", ALL, ids=lambda t: t.code)
def test_every_sms_summary_fits_two_segments(kind, locale):
    text = view.sms_summary(sample_data(kind.code, locale), locale)
    assert "%(" not in text and text
    if locale == "zh":
        assert len(text) <= 2 * 67  # UCS-2: 67 characters per segment of a long SMS
    else:
        # GSM 7-bit (¥ is one of its characters): 153 per segment; [ ] { } ~ | \\ ^ would count twice.
        assert text.replace("¥", "").isascii() and not set(text) & set("[]{}~|\\^") and len(text) <= 2 * 153


@pytest.mark.parametrize("kind", LETTERS, ids=lambda t: t.code)
def test_typst_finds_every_font_and_has_nothing_to_warn_about(kind):
    for locale in ("zh", "en"):
        inputs = render.typst_inputs(signed(kind.code, locale), locale, PUBLIC_URL)
        with render._POOL.compiler() as compiler:
            _, warnings = compiler.compile_with_warnings(input=render._template(kind.code), sys_inputs=inputs)
        assert [warning.message for warning in warnings] == []
