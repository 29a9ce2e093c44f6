"""A notice as HTML and as PDF, from the same view (paas/notices/view.py) in the reader's
language, with its verification code and QR code.

Templates are files in ``templates/`` a designer may edit: ``<type>.html`` (Jinja, extending
``letter.html``) and ``<type>.typ`` (typst, importing ``layout.typ``). typst gets the view as
JSON through ``sys.inputs``, never as markup built from strings, so nothing a customer typed
(a name, an address) can become typst code. Each process keeps a pool of compilers (fonts read
and templates parsed once), any of which compiles any letter; typst embeds and subsets the
fonts it uses, the letters' cut of Noto CJK first (paas/notices/fonts.py)."""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from paas.errors import N_, ServiceUnavailable
from paas.notices.document import canonical_bytes
from paas.notices.fonts import FontsMissing, font_folders, text_fonts
from paas.notices.qr import qr_svg
from paas.notices.types import notice_type
from paas.notices.view import letter_view

if TYPE_CHECKING:
    import jinja2
    import typst

    from paas.notices.document import SignedNotice

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
ATTACHMENT = "notice.json"  # the signed data inside the PDF (see layout.typ)
# PDF/A-3u: a letter kept for decades opens the same, its text maps to Unicode (searchable,
# extractable), and A-3 is the level that allows the attached signed data. typst checks it.
PDF_STANDARDS = ["a-3u"]


class NoLetter(ValueError):
    """An account notice (SMS / e-mail only) has no PDF."""


def render_html(doc: "SignedNotice", locale: str, *, public_url: str = "", qr_image_url: str | None = None) -> str:
    """The notice as an HTML fragment (an ``<article>`` with its own styles). The QR code is
    inline SVG, unless ``qr_image_url`` (with ``{code}``, e.g. ``https://…/verify/qr/{code}.svg``,
    served with ``qr_svg``) makes it an image: what e-mail clients show (they drop inline SVG),
    and five times cheaper to render, as no QR is encoded here."""
    view = letter_view(doc, locale, public_url)
    kind = notice_type(view["type"])
    name = f"{kind.code}.html" if kind.has_letter else "account_notice.html"
    if qr_image_url is None:
        qr = Markup(qr_svg(view["verify_url"]))
    else:
        qr = Markup('<img src="{}" alt="" width="112" height="112">').format(qr_image_url.format(code=view["code"]))
    return _jinja().get_template(name).render(n=view, qr_svg=qr)


# What a reader is told when this server cannot make letters (its Chinese font is missing):
# the notice itself is still on its page; the cause is in the log, the fix in `make migrate`.
PDF_UNAVAILABLE = N_("The PDF of this letter cannot be made right now. The notice itself is on its page; "
                     "please try the PDF again later.")


def render_pdf(doc: "SignedNotice", locale: str, *, public_url: str = "") -> bytes:
    try:
        return typst_compile(doc.data["type"], typst_inputs(doc, locale, public_url))
    except FontsMissing as missing:
        log.error("letter %s not rendered: %s", doc.data.get("notice_number"), missing)
        raise ServiceUnavailable(PDF_UNAVAILABLE) from missing


def typst_inputs(doc: "SignedNotice", locale: str, public_url: str = "") -> dict[str, str]:
    """What the typst template reads from ``sys.inputs``: the view, the QR, the signed data."""
    if not notice_type(doc.data["type"]).has_letter:
        raise NoLetter(doc.data["type"])
    view = letter_view(doc, locale, public_url)
    return {"notice": json.dumps(view, ensure_ascii=False), "qr": qr_svg(view["verify_url"]),
            "signed": signed_attachment(doc).decode("utf-8"), "fonts": json.dumps(text_fonts())}


def signed_attachment(doc: "SignedNotice") -> bytes:
    return canonical_bytes({"data": doc.data, "key_id": doc.key_id, "signature": doc.signature})


def typst_compile(type_code: str, inputs: dict[str, str]) -> bytes:
    with _POOL.compiler() as compiler:
        return compiler.compile(input=_template(type_code), sys_inputs=inputs, pdf_standards=PDF_STANDARDS)


@cache
def _template(type_code: str) -> str:
    return str(TEMPLATES / f"{notice_type(type_code).code}.typ")


class _CompilerPool:
    """Idle typst compilers, any of which compiles any letter (the template is named per
    compile): as many as letters were ever compiled at once in this process (gunicorn threads),
    rather than one per template, each holding the fonts it has read - 167 MB a process with
    one per template, against the same CPU a letter (A/B in one process)."""

    def __init__(self) -> None:
        self._idle: list[tuple[tuple[str, ...], "typst.Compiler"]] = []
        self._lock = threading.Lock()

    @contextmanager
    def compiler(self) -> Iterator["typst.Compiler"]:
        # A compiler knows the font folders of its making: once the letters' cut is built in a
        # running process (fonts.build_letter_fonts), older compilers are left to go.
        folders = font_folders()
        with self._lock:
            while self._idle and self._idle[-1][0] != folders:
                self._idle.pop()
            compiler = self._idle.pop()[1] if self._idle else None
        if compiler is None:
            compiler = _new_compiler(folders)
        try:
            yield compiler  # one compile at a time per compiler: it is out of the pool meanwhile
        finally:
            with self._lock:
                self._idle.append((folders, compiler))


def _new_compiler(folders: tuple[str, ...]) -> "typst.Compiler":
    import typst

    return typst.Compiler(_template("premium_due"), root=str(TEMPLATES), font_paths=list(folders),
                          ignore_system_fonts=True)


_POOL = _CompilerPool()


@cache
def _jinja() -> "jinja2.Environment":
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, auto_reload=False)
