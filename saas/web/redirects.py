"""Where to send someone after a form: only ever back into this site."""
from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    if not target or len(target) > 500:
        return fallback
    parts = urlsplit(target)
    # A path on this site only: no scheme, no host, no protocol-relative //evil, no backslash tricks.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target
