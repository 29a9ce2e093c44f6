"""Where the platform keeps its local files: ``PORTAL_DATA_DIR``, else ``./var``. One definition,
read by ``portal.config`` and by what finds its files there without the settings (the letters'
cut of Noto CJK, paas/notices/fonts.py, made by the image build and used by every process)."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def data_dir(env: Mapping[str, str]) -> Path:
    return Path(env.get("PORTAL_DATA_DIR", "./var")).resolve()
