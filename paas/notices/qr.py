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

The SVG is one path of horizontal runs, each dark run a stroke ``h`` and each light one a move
``m``, relative, so what a stretch of modules draws depends on its bits alone: a row is cut into
bytes and each byte's commands looked up in a table (a dark run across two bytes is two strokes
in one subpath, ``h3h2``, one line as drawn), with no Python per run - 150 -> ~20 us a code."""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

import segno

QUIET_ZONE = 2  # modules of white around the code (readers cope with 2; the standard asks 4)
CODE_PARAMETER = "?code="


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
    prefix, found, code = url.rpartition(CODE_PARAMETER)
    if found and code and _latin1(url):
        template = _Template.of(prefix + found, len(code))
        size, modules = template.size, template.padded(code)
    else:
        rows = _rows_of(encode(url).matrix)
        size = len(rows)
        modules = b"".join(_padded_row(row, size).to_bytes(_row_bytes(size), "big") for row in rows)
    side = size + 2 * QUIET_ZONE
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-QUIET_ZONE} {-QUIET_ZONE} {side} {side}" '
            f'shape-rendering="crispEdges"><rect x="{-QUIET_ZONE}" y="{-QUIET_ZONE}" width="{side}" height="{side}" '
            f'fill="#fff"/><path transform="translate(0 .5)" stroke="#000" d="M0 0{_path(modules, size)}"/></svg>')


def _row_bytes(size: int) -> int:
    return (size + 7) // 8


def _padded_row(row: int, size: int) -> int:
    """A row's modules left-aligned in whole bytes (light padding after the last module)."""
    return row << (8 * _row_bytes(size) - size)


def _path(modules: bytes, size: int) -> str:
    """The path commands of the padded rows ``modules``: byte by byte through the tables, all
    in C (map, zip, join), the last byte of each row ending with the move to the next row."""
    width = _row_bytes(size)
    tables = _byte_commands(size)
    columns = [map(tables[column].__getitem__, modules[column::width]) for column in range(width)]
    return "".join(chain.from_iterable(zip(*columns)))


@lru_cache(maxsize=8)
def _byte_commands(size: int) -> list[tuple[str, ...]]:
    """Per byte of a row, the commands of each of its 256 values: a dark run a stroke as long,
    a light one a move as long (the pen ends 8 modules on); the row's last byte draws its real
    modules, leaves out a light end and moves back to the start of the next row."""
    width = _row_bytes(size)
    last = size - 8 * (width - 1)  # real modules in the last byte

    def commands(bits: str) -> str:
        return "".join(f"h{len(run)}" if run[0] == "1" else f"m{len(run)} 0" for run in _RUN.findall(bits))

    full = tuple(commands(format(value, "08b")) for value in range(256))
    ends = []
    for value in range(256):
        bits = format(value, "08b")[:last].rstrip("0")
        ends.append(commands(bits) + f"m-{8 * (width - 1) + len(bits)} 1")
    return [full] * (width - 1) + [tuple(ends)]


_RUN = re.compile("1+|0+")


class _Template:
    """The pictures of one address prefix and code length: a reference, and per bit of each
    code character the modules it flips - each row left-aligned in whole bytes, as the SVG
    path's tables read them."""

    def __init__(self, prefix: str, length: int) -> None:
        reference = prefix + "A" * length
        code = encode(reference)
        self.version, self.size = code.version, len(code.matrix)
        self.reference = self._as_padded(code.matrix)
        self.flips = []
        for position in range(length):
            per_bit = []
            for bit in range(8):
                changed = chr(ord("A") ^ (1 << bit))
                variant = prefix + "A" * position + changed + "A" * (length - position - 1)
                per_bit.append(self._as_padded(encode(variant, self.version).matrix) ^ self.reference)
            self.flips.append(per_bit)

    def _as_padded(self, matrix) -> int:
        picture = 0
        for row in _rows_of(matrix):
            picture = picture << (8 * _row_bytes(self.size)) | _padded_row(row, self.size)
        return picture

    @classmethod
    @lru_cache(maxsize=16)
    def of(cls, prefix: str, length: int) -> "_Template":
        return cls(prefix, length)

    def rows(self, code: str) -> list[int]:
        padded, size, width = self.picture(code), self.size, 8 * _row_bytes(self.size)
        mask = (1 << size) - 1
        return [(padded >> (width * (size - 1 - y) + width - size)) & mask for y in range(size)]

    def padded(self, code: str) -> bytes:
        return self.picture(code).to_bytes(self.size * _row_bytes(self.size), "big")

    def picture(self, code: str) -> int:
        """All the padded rows, one after another, as one integer (the first module its highest bit)."""
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
        return picture


def _rows_of(matrix) -> list[int]:
    return [int("".join("1" if module else "0" for module in row), 2) for row in matrix]


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True
