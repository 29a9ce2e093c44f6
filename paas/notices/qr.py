"""The QR code on a letter: its verification address, as SVG (inline in HTML, an image in typst).

segno encodes in pure Python; the mask is fixed (any of the eight is valid and every reader
decodes it) because scoring all eight to pick the prettiest costs six times the encoding.
A notice shown as HTML and then as PDF is encoded once per process (the cache)."""
from __future__ import annotations

import io
from functools import lru_cache

import segno


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    code = segno.make_qr(url, error="m", mask=0, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, svgclass=None, lineclass=None, border=2, scale=4)
    return out.getvalue().decode("ascii")
