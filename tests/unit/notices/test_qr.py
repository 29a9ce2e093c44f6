"""The QR code: the picture made from the per-bit flips is exactly segno's own encoding of the
same address, for many codes and prefixes; and the SVG draws exactly those modules."""
from __future__ import annotations

import random
import re

import pytest

from paas.notices import document
from paas.notices.qr import _rows_of, encode, matrix_rows, qr_svg

PREFIXES = ("https://portal.example.com/verify?code=", "http://127.0.0.1:8203/verify?code=",
            "https://e-service.pinghe-life.com.cn/notices/verify?code=")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_fast_picture_is_segnos_encoding(prefix):
    rng = random.Random(prefix)
    for _ in range(40):
        code = document.verification_code(document.base64.urlsafe_b64encode(rng.randbytes(64)).decode())
        url = prefix + code
        assert matrix_rows(url) == _rows_of(encode(url).matrix), code


def test_any_other_address_is_encoded_by_segno_itself():
    for url in ("https://portal.example.com/verify", "https://例子.cn/verify?code=ABCD", "https://x/verify?code=a~b"):
        assert matrix_rows(url) == _rows_of(encode(url).matrix)


def drawn_modules(svg: str, size: int) -> list[list[int]]:
    """The modules an SVG's path strokes (moves M / m, horizontal strokes h, as a viewer reads
    them), each at most once."""
    (path,) = re.findall(r' d="([^"]*)"', svg)
    drawn = [[0] * size for _ in range(size)]
    x = y = 0
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", path):
        values = [int(value) for value in numbers.split()]
        if command in "Mm":
            dx, dy = values
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            continue
        (run,) = values
        assert run > 0
        for column in range(x, x + run):
            assert drawn[y][column] == 0
            drawn[y][column] = 1
        x += run
    return drawn


@pytest.mark.parametrize("url", [PREFIXES[0] + "ABCD-EFGH-JKLM", PREFIXES[2] + "QXZ7-2222-ABCD",
                                 "https://例子.cn/verify?code=ABCD", PREFIXES[1] + "A" * 30])
def test_the_svg_path_draws_every_dark_module_and_no_other(url):
    matrix = encode(url).matrix
    assert drawn_modules(qr_svg(url), len(matrix)) == [list(row) for row in matrix]
    assert qr_svg(url).startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_the_svg_of_many_codes_draws_their_own_modules():
    rng = random.Random(7)
    for _ in range(30):
        url = PREFIXES[0] + document.verification_code(document.base64.urlsafe_b64encode(rng.randbytes(64)).decode())
        matrix = encode(url).matrix
        assert drawn_modules(qr_svg(url), len(matrix)) == [list(row) for row in matrix], url


def test_different_codes_give_different_pictures():
    assert qr_svg("https://x/verify?code=AAAA-AAAA-AAAA") != qr_svg("https://x/verify?code=AAAA-AAAA-AAAB")
