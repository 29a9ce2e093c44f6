"""The letters are rendered as deployed: with the letters' cut of Noto CJK (paas/notices/fonts.py),
built once into the data dir's fonts folder (a minute or two the first time, then kept)."""
from __future__ import annotations

import pytest

from paas.notices import fonts


@pytest.fixture(scope="session", autouse=True)
def letter_fonts():
    fonts.build_letter_fonts()
