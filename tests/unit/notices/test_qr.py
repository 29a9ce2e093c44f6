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


def test_the_svg_path_draws_every_dark_module_and_no_other():
    url = PREFIXES[0] + "ABCD-EFGH-JKLM"
    matrix = encode(url).matrix
    drawn = [[0] * len(row) for row in matrix]
    for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)", qr_svg(url)):
        for column in range(int(x), int(x) + int(run)):
            assert drawn[int(y)][column] == 0
            drawn[int(y)][column] = 1
    assert drawn == [list(row) for row in matrix]
    assert qr_svg(url).startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_different_codes_give_different_pictures():
    assert qr_svg("https://x/verify?code=AAAA-AAAA-AAAA") != qr_svg("https://x/verify?code=AAAA-AAAA-AAAB")
