"""The QR code on a letter: its verification address, as SVG (inline in HTML, an image in typst).

segno encodes it. Only the code at the end of the address differs from one notice to the next,
and a QR code is linear in its data: with the version, error level and mask fixed, the
Reed-Solomon check words, the placement and the mask are XOR-linear in the data bits, so the
picture for a code is the picture for a reference code XOR the modules each changed bit flips.
Those are measured once per address prefix with segno itself (8 encodings per character of
the code), then each notice's picture is a few XORs of 1,089-bit integers instead of a 0.5 ms
pure-Python encoding - the difference between 1,000 and 2,000+ HTML notices a second.
``tests/unit/notices/test_qr.py`` holds the result to segno's own encoding for many codes;
any address not of that shape is simply encoded by segno.

The SVG is one path of horizontal runs; segno's SVG writer took three times as long."""
from __future__ import annotations

import re
from functools import lru_cache

import segno

QUIET_ZONE = 2  # modules of white around the code (readers cope with 2; the standard asks 4)
CODE_PARAMETER = "?code="
_DARK_RUN = re.compile("1+")


def encode(url: str, version: int | None = None) -> "segno.QRCode":
    """The one segno call: error level M, byte mode, mask 0 (scoring all eight masks to pick the
    prettiest costs six times the encoding, and every reader decodes any of them)."""
    return segno.make_qr(url, error="m", mode="byte", mask=0, boost_error=False, version=version)


def matrix_rows(url: str) -> list[int]:
    """The code's modules, one integer per row (bit ``size - 1 - x`` is column x), dark = 1."""
    prefix, found, code = url.rpartition(CODE_PARAMETER)
    if found and code and _latin1(url):
        return _Template.of(prefix + found, len(code)).rows(code)
    return _rows_of(encode(url).matrix)


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    rows = matrix_rows(url)
    size = len(rows)
    runs = []
    for y, row in enumerate(rows):
        for run in _DARK_RUN.finditer(format(row, f"0{size}b")):
            runs.append(f"M{run.start()} {y}h{run.end() - run.start()}")
    side = size + 2 * QUIET_ZONE
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-QUIET_ZONE} {-QUIET_ZONE} {side} {side}" '
            f'shape-rendering="crispEdges"><rect x="{-QUIET_ZONE}" y="{-QUIET_ZONE}" width="{side}" height="{side}" '
            f'fill="#fff"/><path transform="translate(0 .5)" stroke="#000" d="{"".join(runs)}"/></svg>')


class _Template:
    """The pictures of one address prefix and code length: a reference, and per bit of each
    code character the modules it flips."""

    def __init__(self, prefix: str, length: int) -> None:
        reference = prefix + "A" * length
        code = encode(reference)
        self.version, self.size = code.version, len(code.matrix)
        self.reference = _as_int(code.matrix)
        self.flips = []
        for position in range(length):
            per_bit = []
            for bit in range(8):
                changed = chr(ord("A") ^ (1 << bit))
                variant = prefix + "A" * position + changed + "A" * (length - position - 1)
                per_bit.append(_as_int(encode(variant, self.version).matrix) ^ self.reference)
            self.flips.append(per_bit)

    @classmethod
    @lru_cache(maxsize=16)
    def of(cls, prefix: str, length: int) -> "_Template":
        return cls(prefix, length)

    def rows(self, code: str) -> list[int]:
        picture = self.reference
        for position, byte in enumerate(code.encode("latin-1")):
            difference = byte ^ 0x41  # "A"
            flips = self.flips[position]
            bit = 0
            while difference:
                if difference & 1:
                    picture ^= flips[bit]
                difference >>= 1
                bit += 1
        mask = (1 << self.size) - 1
        return [(picture >> (self.size * (self.size - 1 - y))) & mask for y in range(self.size)]


def _as_int(matrix) -> int:
    return int("".join("1" if module else "0" for row in matrix for module in row), 2)


def _rows_of(matrix) -> list[int]:
    return [int("".join("1" if module else "0" for module in row), 2) for row in matrix]


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True
